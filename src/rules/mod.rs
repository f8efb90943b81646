//! Rules are data: `rules/*.toml` (one rule a file) and `rules/objects/*.toml` (a field table per
//! object of the spec), read into the types of `model.rs` by the build and compiled into the binary
//! as `&'static` data; this module indexes them once per process and gives them their behaviour.

mod cond;
pub mod docs;
pub mod json_schema;
mod model;
mod path;
pub(crate) mod pattern;
mod schema;
pub mod text;

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use schema::Compiled;

pub(crate) use model::Step;
pub use model::{
    Applicability, ChannelKind, Check, CompareOp, Cond, Constraint, DocumentProblem, FieldDef, FixDef, FixKind,
    Forbidden, Format, List, Literal, ObjectDef, Path, Rule, Severity, Str, Texts, Type, ValueMap,
};

/// The date of the API page the rules and field tables follow: the "更新时间" (last updated) line
/// of 创建VPC通道 (Create VPC channel), `2024-11-11 GMT+08:00`. Shown by `apig-lint --version`;
/// change it when the rules are brought up to a newer page.
pub const SPEC_PAGE_UPDATED: &str = "2024-11-11";

/// What the build wrote: the rule set as `&'static` data, and the rule samples.
mod embedded {
    extern crate alloc;
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
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

impl DocumentProblem {
    /// Findings about suppressions rather than about the channel.
    pub fn is_about_suppressions(self) -> bool {
        matches!(self, Self::SuppressionWithoutReason | Self::UnusedSuppression | Self::MalformedSuppression)
    }
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
    pub rules: List<Rule>,
    pub objects: List<ObjectDef>,
    object_index: HashMap<Str, usize>,
    root: usize,
    schema_rules: HashMap<Constraint, usize>,
    document_rules: HashMap<DocumentProblem, usize>,
    /// The per-object rules grouped by scope, each scope once, in the order rules first name
    /// them: a document's scopes are located once for all the rules that share them.
    pub(crate) plans: Vec<Plan>,
    /// The rules that compare across a whole document (`unique`, `reference`), in id order.
    pub(crate) whole: Vec<usize>,
    /// Each field's compiled patterns (by [`FieldDef::slot`]), built on first use: start-up stays
    /// cheap for small files.
    compiled: Vec<OnceLock<Compiled>>,
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
    /// The rules built into the binary: `&'static` data the build wrote from the rule files
    /// (already read, sorted and resolved; a test validates them), indexed on first use.
    pub fn builtin() -> Result<&'static RuleSet, &'static RuleError> {
        static SET: OnceLock<Result<RuleSet, RuleError>> = OnceLock::new();
        SET.get_or_init(|| RuleSet::indexed(List::Borrowed(embedded::RULES), List::Borrowed(embedded::OBJECTS)))
            .as_ref()
    }

    /// Builds a rule set from `(path, contents)` pairs of TOML: `rules/objects/…` are field
    /// tables, the rest rules. Patterns are compiled when first used;
    /// [`RuleSet::compile_patterns`] checks them all at once.
    pub fn from_files(files: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        let (rules, objects) = model::read(files.iter().copied()).map_err(RuleError)?;
        let set = RuleSet::indexed(List::Owned(rules), List::Owned(objects))?;
        set.validate()?;
        Ok(set)
    }

    /// The indices over resolved rules and tables: each check's rule, the root table, the plans.
    fn indexed(rules: List<Rule>, objects: List<ObjectDef>) -> Result<RuleSet, RuleError> {
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
        let whole = (0..rules.len())
            .filter(|&index| matches!(rules[index].check, Check::Unique { .. } | Check::Reference { .. }))
            .collect();
        let fields = objects.iter().map(|o| o.fields.len()).sum();
        // Free for the built-in set: its names are borrowed.
        let object_index = objects.iter().enumerate().map(|(i, o)| (o.name.clone(), i)).collect();
        Ok(RuleSet {
            rules,
            objects,
            object_index,
            root,
            schema_rules,
            document_rules,
            plans,
            whole,
            compiled: std::iter::repeat_with(OnceLock::new).take(fields).collect(),
        })
    }

    /// Checks what serde cannot: patterns that compile aside (see [`RuleSet::compile_patterns`]),
    /// the field tables' `defaulted` fields, that checks name fields by plain names, and that every
    /// rule path is in the tables. Run on
    /// rule files at load, and on the built-in set by a test.
    pub fn validate(&self) -> Result<(), RuleError> {
        for object in self.objects.iter() {
            for field in object.fields.iter() {
                if field.defaulted && (field.required || field.default.is_none()) {
                    let problem = "`defaulted` needs a `default` and excludes `required`";
                    return Err(RuleError(format!("{}.{}: {problem}", object.name, field.name)));
                }
            }
        }
        for rule in self.rules.iter() {
            for name in rule.check.names() {
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    let problem = "is not a field name (a path to the objects checked goes in `scope`)";
                    return Err(RuleError(format!("{}: `{name}` {problem}", rule.id)));
                }
            }
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
        for object in self.objects.iter() {
            for field in object.fields.iter() {
                self.compiled(field).map_err(|e| RuleError(format!("{}.{}: {e}", object.name, field.name)))?;
            }
        }
        Ok(())
    }

    /// A field's compiled patterns, built on first use.
    pub(crate) fn compiled(&self, field: &FieldDef) -> Result<&Compiled, String> {
        let Some(cell) = self.compiled.get(field.slot) else {
            return Err(format!("field `{}` is not of this rule set", field.name));
        };
        if let Some(compiled) = cell.get() {
            return Ok(compiled);
        }
        let compiled = Compiled::new(field).map_err(|e| e.to_string())?;
        Ok(cell.get_or_init(|| compiled))
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
        self.field_along(path.steps().iter().map(|step| &*step.name))
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
        let within = |scope: &Path| -> Vec<Path> {
            let mut out = vec![scope.clone()];
            out.extend(self.check.names().into_iter().map(|n| scope.join(n)));
            out
        };
        match &self.check {
            Check::Document { .. } | Check::Schema { .. } => Vec::new(),
            Check::Required { scope, when, .. } | Check::Flag { scope, when, .. } => {
                let mut out = within(scope);
                out.extend(when.paths().into_iter().map(|p| p.absolute_from(scope)));
                out
            }
            Check::Unique { scope, unset_as, .. } => {
                let mut out = within(scope);
                out.extend(unset_as.iter().map(|(_, p)| p.absolute_from(scope)));
                out
            }
            Check::Reference { from, to } => vec![from.clone(), to.clone()],
            Check::Compare { scope, .. }
            | Check::Conflict { scope, .. }
            | Check::Ignored { scope, .. }
            | Check::Format { scope, .. }
            | Check::OneOf { scope, .. } => within(scope),
        }
    }
}

impl Check {
    /// The fields of its scope object a check names (`fields`, `targets`, `left` and `right`, …):
    /// plain field names, never paths ([`RuleSet::validate`]).
    pub fn names(&self) -> Vec<&Str> {
        match self {
            Check::Required { fields, .. } | Check::Ignored { fields, .. } => fields.iter().collect(),
            Check::Flag { targets, .. } => targets.iter().collect(),
            Check::Compare { left, right, .. } | Check::Conflict { left, right, .. } => vec![left, right],
            Check::Unique { keys, .. } => keys.iter().flat_map(|k| k.iter()).collect(),
            Check::Format { field, .. } => vec![field],
            Check::OneOf { alternatives, .. } => alternatives.iter().flat_map(|a| a.iter()).collect(),
            Check::Document { .. } | Check::Schema { .. } | Check::Reference { .. } => Vec::new(),
        }
    }
}

/// How many rules the binary carries (a test holds this to `RuleSet::builtin().rules.len()`).
pub fn builtin_rule_count() -> usize {
    embedded::RULES.len()
}

/// The built-in tables' own text of the field name `text`, if it is one: documents hold such keys
/// without a copy each.
#[inline]
pub(crate) fn field_name(text: &str) -> Option<&'static str> {
    let first = text.as_bytes().first()?;
    let names: &'static [&'static str] = embedded::NAMES_BY_LENGTH.get(text.len())?;
    names.iter().copied().find(|name| name.as_bytes()[0] == *first && *name == text)
}

/// Rule samples embedded for `apig-lint explain`: `(path, contents)` under `samples/rules/<name>/`.
pub(crate) fn samples_of(name: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let prefix = format!("samples/rules/{name}/");
    embedded::SAMPLE_FILES.iter().copied().filter(move |(path, _)| path.starts_with(&prefix))
}

#[cfg(test)]
mod tests {
    /// The built-in set is not validated at start-up (it is data the build wrote); this is where
    /// it is.
    #[test]
    fn the_builtin_rules_validate() {
        let rules = super::RuleSet::builtin().unwrap();
        rules.validate().unwrap();
        assert_eq!(super::builtin_rule_count(), rules.rules.len());
        let slots: Vec<usize> = rules.objects.iter().flat_map(|o| o.fields.iter().map(|f| f.slot)).collect();
        assert_eq!(slots, (0..slots.len()).collect::<Vec<_>>(), "each field has its own slot");
    }

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
