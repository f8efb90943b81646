//! Rules are data: `rules/*.toml` (one rule a file) and `rules/objects/*.toml` (a field table per
//! object of the spec), embedded at build time and read once per process.

mod cond;
pub mod docs;
pub mod json_schema;
mod path;
pub(crate) mod pattern;
mod schema;
pub mod text;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

pub use cond::{ChannelKind, Cond};
pub use path::Path;
pub(crate) use path::Step;
pub use schema::{FieldDef, Literal, ObjectDef, Type};
use text::Prose;

/// The date of the API page the rules and field tables follow: the "更新时间" (last updated) line
/// of 创建VPC通道 (Create VPC channel), `2024-11-11 GMT+08:00`. Shown by `apig-lint --version`;
/// change it when the rules are brought up to a newer page.
pub const SPEC_PAGE_UPDATED: &str = "2024-11-11";

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!("unknown severity `{other}` (expected error, warning or info)")),
        }
    }
}

/// One rule, as written in its file under `rules/`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, such as `AL401`.
    pub id: String,
    /// Kebab-case name that describes the problem.
    pub name: String,
    /// Names the rule had before, still accepted wherever a rule is named.
    #[serde(default)]
    pub renamed_from: Vec<String>,
    pub severity: Severity,
    /// The gateway error code this finding predicts, if the gateway would reject the body.
    pub gateway_code: Option<String>,
    /// Why an error names no gateway code (no public source documents one, or the gateway
    /// accepts the body although the channel cannot work as written). Every error has one or the
    /// other: a predicted code must have a source.
    pub no_gateway_code: Option<String>,
    /// One line for tables.
    #[serde(deserialize_with = "text::prose")]
    pub summary: Prose,
    /// Message template; `{placeholders}` are filled by the check kind.
    #[serde(deserialize_with = "text::prose")]
    pub message: Prose,
    /// Help template.
    #[serde(deserialize_with = "text::prose")]
    pub help: Prose,
    /// Where in the spec the rule comes from.
    #[serde(deserialize_with = "text::prose")]
    pub source: Prose,
    /// Why the rule exists, in Markdown.
    #[serde(deserialize_with = "text::prose")]
    pub docs: Prose,
    /// The finding is about a field the spec deprecates (editors strike it through).
    #[serde(default)]
    pub deprecated: bool,
    /// The same texts in Simplified Chinese, with the same placeholders.
    #[serde(rename = "zh-CN", default)]
    pub zh: Option<Texts>,
    pub check: Check,
    /// The rule's fix, if it has one (`[fix]`).
    #[serde(default)]
    pub fix: Option<crate::fix::FixDef>,
}

/// A rule's texts in one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    #[serde(deserialize_with = "text::prose")]
    pub summary: Prose,
    #[serde(deserialize_with = "text::prose")]
    pub message: Prose,
    #[serde(deserialize_with = "text::prose")]
    pub help: Prose,
    #[serde(deserialize_with = "text::prose")]
    pub docs: Prose,
}

/// A rule's texts as one language reads them (English where a translation is missing).
#[derive(Clone, Copy, Debug)]
pub struct Text<'r> {
    pub summary: &'r str,
    pub message: &'r str,
    pub help: &'r str,
    pub docs: &'r str,
}

impl Rule {
    pub fn text(&self, lang: crate::Lang) -> Text<'_> {
        match (lang, &self.zh) {
            (crate::Lang::ZhCn, Some(zh)) => {
                Text { summary: &zh.summary, message: &zh.message, help: &zh.help, docs: &zh.docs }
            }
            _ => Text { summary: &self.summary, message: &self.message, help: &self.help, docs: &self.docs },
        }
    }
}

/// The closed set of check kinds. Each is implemented once, in `engine`.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A problem found while loading or at the document level.
    Document { problem: DocumentProblem },
    /// A constraint of the field tables in `rules/objects/`.
    Schema { constraint: Constraint },
    /// `fields` must be present (and with `non_empty`, not empty) wherever `when` holds.
    Required {
        scope: Path,
        fields: Vec<String>,
        #[serde(default)]
        when: Cond,
        #[serde(default)]
        non_empty: bool,
        #[serde(default = "default_because")]
        because: String,
        /// `because` in Chinese.
        because_zh: Option<String>,
    },
    /// Each of `targets` that is present is a finding wherever `when` holds.
    Flag {
        scope: Path,
        targets: Vec<String>,
        #[serde(default)]
        when: Cond,
    },
    /// `left op right` must hold when both are integers.
    Compare { scope: Path, left: String, op: CompareOp, right: String },
    /// When both are set, `(left, right)` must be one of `pairs`.
    Conflict { scope: Path, left: String, right: String, pairs: Vec<(Literal, Literal)> },
    /// Items of the array at `scope` must differ in the first of `keys` whose first field they
    /// have; an absent field counts as the value at `unset_as` (for example the channel port).
    Unique {
        scope: Path,
        keys: Vec<Vec<String>>,
        #[serde(default)]
        unset_as: HashMap<String, Path>,
    },
    /// Every value at `from` must be one of the values at `to`.
    Reference { from: Path, to: Path },
    /// Each field of the objects at `scope` (of `fields`, or any) that is set where its table's
    /// `when` does not hold (the gateway ignores it there) is a finding.
    Ignored {
        scope: Path,
        #[serde(default)]
        fields: Vec<String>,
    },
    /// The string at `field` must follow a named grammar.
    Format { scope: Path, field: String, format: Format },
    /// At least one of `alternatives` must be present in full.
    OneOf { scope: Path, alternatives: Vec<Vec<String>> },
}

fn default_because() -> String {
    "required because of this".into()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentProblem {
    Syntax,
    Encoding,
    Limit,
    Empty,
    TopLevel,
    DuplicateKey,
    /// A suppression comment or `[[suppress]]` entry without a reason.
    SuppressionWithoutReason,
    /// A suppression that suppressed nothing.
    UnusedSuppression,
    /// A comment that starts like a suppression but cannot be read as one.
    MalformedSuppression,
    /// A plain YAML scalar that YAML 1.1 tools read as another value.
    AmbiguousScalar,
}

impl DocumentProblem {
    /// Findings about suppressions rather than about the channel.
    pub fn is_about_suppressions(self) -> bool {
        matches!(self, Self::SuppressionWithoutReason | Self::UnusedSuppression | Self::MalformedSuppression)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    Required,
    /// A field the spec lists as required but the gateway fills with its default.
    Defaulted,
    /// An unknown key that nearly names a field the object lacks: a misspelling the gateway drops.
    Misspelt,
    Type,
    Enum,
    Range,
    Length,
    AdvisedLength,
    Pattern,
    Items,
    UnknownKey,
    ResponseOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum CompareOp {
    #[serde(rename = "<")]
    Less,
    #[serde(rename = "<=")]
    LessOrEqual,
    #[serde(rename = "!=")]
    NotEqual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `200`, `200,201`, `200-299`, `201,202,210-299`: codes 100–599, low ≤ high, no spaces.
    HttpCode,
    /// An IPv4 or IPv6 address or a DNS host name, without scheme, port, path or spaces.
    Host,
    /// A reference to a secret (`${VAR}`, `{{ var }}`), not the secret itself.
    SecretReference,
}

impl Check {
    /// The scope of a kind that checks each object its scope selects on its own (all but the
    /// document, schema, `unique` and `reference` kinds).
    pub fn scope(&self) -> Option<&Path> {
        match self {
            Check::Required { scope, .. }
            | Check::Flag { scope, .. }
            | Check::Ignored { scope, .. }
            | Check::Compare { scope, .. }
            | Check::Conflict { scope, .. }
            | Check::Format { scope, .. }
            | Check::OneOf { scope, .. } => Some(scope),
            Check::Document { .. } | Check::Schema { .. } | Check::Unique { .. } | Check::Reference { .. } => None,
        }
    }

    /// The placeholders this kind fills in message and help templates.
    pub fn variables(&self) -> &'static [&'static str] {
        match self {
            Check::Document { problem: DocumentProblem::AmbiguousScalar } => &["value", "yaml11", "spelling"],
            Check::Document { .. } => &["detail", "hint"],
            Check::Schema { constraint } => match constraint {
                Constraint::Required => &["field", "object", "default"],
                Constraint::Defaulted => &["field", "object", "default"],
                Constraint::Misspelt => &["field", "object", "intended"],
                Constraint::Type => &["field", "expected", "actual", "hint"],
                Constraint::Enum => &["field", "value", "allowed"],
                Constraint::Range => &["field", "value", "min", "max"],
                Constraint::Length | Constraint::AdvisedLength => &["field", "length", "min", "max"],
                Constraint::Pattern => &["field", "value", "hint", "advice"],
                Constraint::Items => &["field", "count", "min", "max"],
                Constraint::UnknownKey => &["field", "object", "suggestion"],
                Constraint::ResponseOnly => &["field", "object"],
            },
            Check::Required { .. } => &["field", "scope"],
            Check::Flag { .. } => &["field", "value", "channel", "count"],
            Check::Ignored { .. } => &["field", "value", "channel", "applies"],
            Check::Compare { .. } => &["left", "left_value", "right", "right_value"],
            Check::Conflict { .. } => &["left", "left_value", "right", "right_value"],
            Check::Unique { .. } => &["field", "value", "first"],
            Check::Reference { .. } => &["field", "value", "suggestion"],
            Check::Format { .. } => &["field", "value", "reason"],
            Check::OneOf { .. } => &["scope", "missing"],
        }
    }
}

/// All rules and field tables, read once.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub objects: Vec<ObjectDef>,
    object_index: HashMap<String, usize>,
    root: usize,
    schema_rules: HashMap<Constraint, usize>,
    document_rules: HashMap<DocumentProblem, usize>,
    /// The per-object rules grouped by scope, each scope once, in the order rules first name
    /// them: a document's scopes are located once for all the rules that share them.
    pub(crate) plans: Vec<Plan>,
}

/// A scope and the rules that check each object it selects.
#[derive(Debug)]
pub(crate) struct Plan {
    pub scope: Path,
    pub rules: Vec<usize>,
}

#[derive(Debug)]
pub struct RuleError(pub String);

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid built-in rule data: {}", self.0)
    }
}

impl std::error::Error for RuleError {}

impl RuleSet {
    /// The rules built into the binary, parsed on first use.
    pub fn builtin() -> Result<&'static RuleSet, &'static RuleError> {
        static SET: OnceLock<Result<RuleSet, RuleError>> = OnceLock::new();
        SET.get_or_init(|| RuleSet::from_files(embedded::RULE_FILES)).as_ref()
    }

    /// Builds a rule set from `(path, contents)` pairs: `rules/objects/…` are field tables, the rest
    /// rules; `*.toml` is read as TOML, `*.json` as the JSON the build embeds. Patterns are
    /// compiled when first used; [`RuleSet::compile_patterns`] checks them all at once.
    pub fn from_files(files: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        fn parse<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, RuleError> {
            let parsed = if path.ends_with(".json") {
                serde_json::from_str(text).map_err(|e| e.to_string())
            } else {
                toml::from_str(text).map_err(|e| e.to_string())
            };
            parsed.map_err(|e| RuleError(format!("{path}: {e}")))
        }
        let mut rules = Vec::new();
        let mut objects = Vec::new();
        for (path, text) in files {
            if !path.ends_with(".toml") && !path.ends_with(".json") {
                continue;
            }
            if path.starts_with("rules/objects/") {
                objects.push(parse::<ObjectDef>(path, text)?);
            } else {
                rules.push(parse::<Rule>(path, text)?);
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let object_index: HashMap<String, usize> =
            objects.iter().enumerate().map(|(i, o)| (o.name.clone(), i)).collect();
        for field in objects.iter_mut().flat_map(|o| o.fields.iter_mut()) {
            let target = field.object.as_deref().or(field.items.as_deref());
            field.table = target.and_then(|name| object_index.get(name).copied());
        }
        let root = objects
            .iter()
            .position(|o| o.root)
            .ok_or_else(|| RuleError("no field table is marked `root = true`".into()))?;
        let mut schema_rules = HashMap::new();
        let mut document_rules = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            let clash = match &rule.check {
                Check::Schema { constraint } => schema_rules.insert(*constraint, index).is_some(),
                Check::Document { problem } => document_rules.insert(*problem, index).is_some(),
                _ => false,
            };
            if clash {
                return Err(RuleError(format!("{}: another rule already covers this check", rule.id)));
            }
        }
        let mut plans: Vec<Plan> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let Some(scope) = rule.check.scope() else { continue };
            match plans.iter_mut().find(|plan| plan.scope == *scope) {
                Some(plan) => plan.rules.push(index),
                None => plans.push(Plan { scope: scope.clone(), rules: vec![index] }),
            }
        }
        let set = RuleSet { rules, objects, object_index, root, schema_rules, document_rules, plans };
        set.validate()?;
        Ok(set)
    }

    /// Checks what serde cannot: object references, patterns that compile, rule paths that exist.
    fn validate(&self) -> Result<(), RuleError> {
        for object in &self.objects {
            for field in &object.fields {
                if field.defaulted && (field.required || field.default.is_none()) {
                    let problem = "`defaulted` needs a `default` and excludes `required`";
                    return Err(RuleError(format!("{}.{}: {problem}", object.name, field.name)));
                }
                for target in [&field.object, &field.items].into_iter().flatten() {
                    if Type::from_name(target).is_none() && !self.object_index.contains_key(target) {
                        return Err(RuleError(format!("{}.{}: unknown object `{target}`", object.name, field.name)));
                    }
                }
            }
        }
        for rule in &self.rules {
            for path in rule.paths() {
                if self.field_at(&path).is_none() && !path.is_root() {
                    return Err(RuleError(format!("{}: path `{path}` is not in the field tables", rule.id)));
                }
            }
        }
        Ok(())
    }

    /// Compiles every pattern of the field tables, naming the first that does not compile. The
    /// built-in tables are checked by a test; at run time each pattern compiles on first use.
    pub fn compile_patterns(&self) -> Result<(), RuleError> {
        for object in &self.objects {
            for field in &object.fields {
                field.compile().map_err(|e| RuleError(format!("{}.{}: {e}", object.name, field.name)))?;
            }
        }
        Ok(())
    }

    pub(crate) fn root_object(&self) -> &ObjectDef {
        &self.objects[self.root]
    }

    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.object_index.get(name).map(|&i| &self.objects[i])
    }

    /// The table of an object field, or of an array field's items.
    pub(crate) fn object_of(&self, field: &FieldDef) -> Option<&ObjectDef> {
        field.table.map(|index| &self.objects[index])
    }

    /// The rule that reports a schema constraint.
    pub(crate) fn schema_rule(&self, constraint: Constraint) -> Option<usize> {
        self.schema_rules.get(&constraint).copied()
    }

    /// The rule that reports a document problem.
    pub(crate) fn document_rule(&self, problem: DocumentProblem) -> Option<usize> {
        self.document_rules.get(&problem).copied()
    }

    /// Finds a rule by id or name.
    /// Is this one of the rules that say a file was not checked (syntax, encoding, empty,
    /// limits)? Those are always on, at their default severity, and never suppressed.
    pub fn is_mandatory(&self, rule: usize) -> bool {
        self.rules.get(rule).is_some_and(|r| {
            matches!(
                r.check,
                Check::Document {
                    problem: DocumentProblem::Syntax
                        | DocumentProblem::Encoding
                        | DocumentProblem::Empty
                        | DocumentProblem::Limit
                }
            )
        })
    }

    pub fn find(&self, id_or_name: &str) -> Option<usize> {
        self.rules.iter().position(|r| {
            r.id.eq_ignore_ascii_case(id_or_name)
                || r.name == id_or_name
                || r.renamed_from.iter().any(|n| n == id_or_name)
        })
    }

    /// The field definition at an absolute path.
    pub(crate) fn field_at(&self, path: &Path) -> Option<&FieldDef> {
        self.field_along(path.steps().iter().map(|step| step.name.as_str()))
    }

    /// The field that field names lead to from the top level (`members`, `host`).
    pub(crate) fn field_along<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Option<&FieldDef> {
        let mut object = self.root_object();
        let mut field: Option<&FieldDef> = None;
        for name in names {
            if let Some(f) = field {
                object = self.object_of(f)?;
            }
            field = Some(object.field(name)?);
        }
        field
    }

    /// The table of the object that field names lead to from the top level.
    pub(crate) fn object_along<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Option<&ObjectDef> {
        let mut object = self.root_object();
        for name in names {
            object = self.object_of(object.field(name)?)?;
        }
        Some(object)
    }
}

impl Rule {
    /// Every absolute path the rule's check names (scopes joined with their relative fields).
    pub fn paths(&self) -> Vec<Path> {
        let within = |scope: &Path, names: &[&String]| -> Vec<Path> {
            let mut out = vec![scope.clone()];
            out.extend(names.iter().map(|n| scope.join(n)));
            out
        };
        match &self.check {
            Check::Document { .. } | Check::Schema { .. } => Vec::new(),
            Check::Required { scope, fields, when, .. } => {
                let mut out = within(scope, &fields.iter().collect::<Vec<_>>());
                out.extend(when.paths().into_iter().map(|p| p.absolute_from(scope)));
                out
            }
            Check::Flag { scope, targets, when } => {
                let mut out = within(scope, &targets.iter().collect::<Vec<_>>());
                out.extend(when.paths().into_iter().map(|p| p.absolute_from(scope)));
                out
            }
            Check::Compare { scope, left, right, .. } | Check::Conflict { scope, left, right, .. } => {
                within(scope, &[left, right])
            }
            Check::Unique { scope, keys, unset_as } => {
                let mut out = within(scope, &keys.iter().flatten().collect::<Vec<_>>());
                out.extend(unset_as.values().map(|p| p.absolute_from(scope)));
                out
            }
            Check::Reference { from, to } => vec![from.clone(), to.clone()],
            Check::Ignored { scope, fields } => within(scope, &fields.iter().collect::<Vec<_>>()),
            Check::Format { scope, field, .. } => within(scope, &[field]),
            Check::OneOf { scope, alternatives } => within(scope, &alternatives.iter().flatten().collect::<Vec<_>>()),
        }
    }
}

/// How many rules the binary carries, without reading them (one file each; a test holds this to
/// `RuleSet::builtin().rules.len()`).
pub fn builtin_rule_count() -> usize {
    embedded::RULE_FILES
        .iter()
        .filter(|(path, _)| path.ends_with(".toml.json") && !path.starts_with("rules/objects/"))
        .count()
}

/// Rule samples embedded for `apig-lint explain`: `(path, contents)` under `samples/rules/<name>/`.
pub(crate) fn samples_of(name: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let prefix = format!("samples/rules/{name}/");
    embedded::SAMPLE_FILES.iter().copied().filter(move |(path, _)| path.starts_with(&prefix))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_per_object_rule_is_in_exactly_one_plan_of_its_scope() {
        let rules = super::RuleSet::builtin().unwrap();
        for (index, rule) in rules.rules.iter().enumerate() {
            let plans: Vec<&super::Plan> = rules.plans.iter().filter(|p| p.rules.contains(&index)).collect();
            match rule.check.scope() {
                Some(scope) => assert!(plans.len() == 1 && plans[0].scope == *scope, "{}", rule.id),
                None => assert!(plans.is_empty(), "{}", rule.id),
            }
        }
        let scopes: Vec<&super::Path> = rules.plans.iter().map(|p| &p.scope).collect();
        assert!(scopes.iter().enumerate().all(|(i, s)| !scopes[..i].contains(s)), "each scope once");
        assert!(rules.plans.len() < rules.plans.iter().map(|p| p.rules.len()).sum::<usize>(), "scopes are shared");
    }
}
