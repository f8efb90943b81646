//! The rule data's types: what `rules/*.toml` (one rule a file) and `rules/objects/*.toml` (a
//! field table per object of the spec) say, and nothing else (behaviour lives beside them in
//! `rules`).
//!
//! This file is shared with the build script (`build.rs` includes it by path), which reads the
//! rule files into these types and writes them out as Rust with [`databake`]: the built-in rule
//! set is `&'static` data compiled into the binary, and start-up reads nothing. So it uses only
//! `std`, `serde`, `toml` and `databake`, and its text and lists are `Cow<'static, _>`: borrowed from the
//! binary for the built-in set, owned when rule files are read at run time (tests).

use std::borrow::Cow;
use std::fmt;

use databake::Bake;
use serde::Deserialize;

/// Text of the rule data.
pub type Str = Cow<'static, str>;

/// A list of the rule data.
pub type List<T> = Cow<'static, [T]>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One rule, as written in its file under `rules/`.
#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, such as `AL401`.
    pub id: Str,
    /// Kebab-case name that describes the problem.
    pub name: Str,
    /// Names the rule had before, still accepted wherever a rule is named.
    #[serde(default)]
    pub renamed_from: List<Str>,
    pub severity: Severity,
    /// The gateway error code this finding predicts, if the gateway would reject the body.
    pub gateway_code: Option<Str>,
    /// Why an error names no gateway code (no public source documents one, or the gateway
    /// accepts the body although the channel cannot work as written). Every error has one or the
    /// other: a predicted code must have a source.
    pub no_gateway_code: Option<Str>,
    /// One line for tables.
    pub summary: Str,
    /// Message template; `{placeholders}` are filled by the check kind.
    pub message: Str,
    /// Help template.
    pub help: Str,
    /// Where in the spec the rule comes from.
    pub source: Str,
    /// Why the rule exists, in Markdown.
    pub docs: Str,
    /// The finding is about a field the spec deprecates (editors strike it through).
    #[serde(default)]
    pub deprecated: bool,
    /// The same texts in Simplified Chinese, with the same placeholders.
    #[serde(rename = "zh-CN", default)]
    pub zh: Option<Texts>,
    pub check: Check,
    /// The rule's fix, if it has one (`[fix]`).
    #[serde(default)]
    pub fix: Option<FixDef>,
}

/// A rule's texts in one language.
#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub summary: Str,
    pub message: Str,
    pub help: Str,
    pub docs: Str,
}

/// The closed set of check kinds. Each is implemented once, in `engine`.
#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A problem found while loading or at the document level.
    Document { problem: DocumentProblem },
    /// A constraint of the field tables in `rules/objects/`.
    Schema { constraint: Constraint },
    /// `fields` must be present (and with `non_empty`, not empty) wherever `when` holds.
    Required {
        scope: Path,
        fields: List<Str>,
        #[serde(default)]
        when: Cond,
        #[serde(default)]
        non_empty: bool,
        #[serde(default = "default_because")]
        because: Str,
        /// `because` in Chinese.
        because_zh: Option<Str>,
    },
    /// Each of `targets` that is present is a finding wherever `when` holds.
    Flag {
        scope: Path,
        targets: List<Str>,
        #[serde(default)]
        when: Cond,
    },
    /// `left op right` must hold when both are integers.
    Compare { scope: Path, left: Str, op: CompareOp, right: Str },
    /// When both are set, `(left, right)` must be one of `pairs`.
    Conflict { scope: Path, left: Str, right: Str, pairs: List<(Literal, Literal)> },
    /// Items of the array at `scope` must differ in the first of `keys` whose first field they
    /// have; an absent field counts as the value at `unset_as` (for example the channel port).
    Unique {
        scope: Path,
        keys: List<List<Str>>,
        #[serde(default)]
        #[serde(deserialize_with = "pairs")]
        unset_as: List<(Str, Path)>,
    },
    /// Every value at `from` must be one of the values at `to`.
    Reference { from: Path, to: Path },
    /// Each field of the objects at `scope` (of `fields`, or any) that is set where its table's
    /// `when` does not hold (the gateway ignores it there) is a finding.
    Ignored {
        scope: Path,
        #[serde(default)]
        fields: List<Str>,
    },
    /// The string at `field` must follow a named grammar.
    Format { scope: Path, field: Str, format: Format },
    /// At least one of `alternatives` must be present in full.
    OneOf { scope: Path, alternatives: List<List<Str>> },
}

fn default_because() -> Str {
    Str::Borrowed("required because of this")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
pub enum CompareOp {
    #[serde(rename = "<")]
    Less,
    #[serde(rename = "<=")]
    LessOrEqual,
    #[serde(rename = "!=")]
    NotEqual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `200`, `200,201`, `200-299`, `201,202,210-299`: codes 100–599, low ≤ high, no spaces.
    HttpCode,
    /// An IPv4 or IPv6 address or a DNS host name, without scheme, port, path or spaces.
    Host,
    /// A reference to a secret (`${VAR}`, `{{ var }}`), not the secret itself.
    SecretReference,
}

/// A literal in rule data: an enum member, an "unset" value, a conflict pair.
#[derive(Clone, Debug, PartialEq, Bake)]
#[databake(path = crate::rules::model)]
pub enum Literal {
    Int(i64),
    Bool(bool),
    Str(Str),
}

/// By the value's own type, in one pass: `#[serde(untagged)]` would try each variant in turn and
/// build an error for every miss, which was a tenth of start-up.
impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Literal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, a boolean or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Literal, E> {
                Ok(Literal::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Literal, E> {
                i64::try_from(v).map(Literal::Int).map_err(|_| E::custom(format!("{v} is too large")))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Literal, E> {
                Ok(Literal::Bool(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Literal, E> {
                Ok(Literal::Str(Str::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl Type {
    pub fn from_name(name: &str) -> Option<Type> {
        match name {
            "string" => Some(Type::String),
            "integer" => Some(Type::Integer),
            "boolean" => Some(Type::Boolean),
            "object" => Some(Type::Object),
            "array" => Some(Type::Array),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    /// The spec's name for the object, such as `VpcHealthConfig`.
    pub name: Str,
    /// The request body itself.
    #[serde(default)]
    pub root: bool,
    /// The spec table it comes from.
    pub source: Str,
    #[serde(rename = "field")]
    pub fields: List<FieldDef>,
}

#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    pub regex: Str,
    pub hint: Str,
    pub hint_zh: Option<Str>,
}

#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: Str,
    #[serde(rename = "type")]
    pub ty: Type,
    /// For `type = "object"`: the object's table.
    pub object: Option<Str>,
    /// For `type = "array"`: the items' table, or a scalar type name.
    pub items: Option<Str>,
    #[serde(default)]
    pub required: bool,
    /// The spec lists the field as required, but the live gateway accepts a body without it and
    /// applies `default`: a missing one is a warning naming that default, not an error.
    #[serde(default)]
    pub defaulted: bool,
    /// Where the gateway reads the field at all, with its object as the scope (a channel kind, a
    /// sibling's value). Elsewhere it is ignored: nothing inside it is checked, and a rule of
    /// kind `ignored` reports it once.
    pub when: Option<Cond>,
    /// In words, where the field applies (`on microservice channels`), for messages.
    pub applies: Option<Str>,
    pub applies_zh: Option<Str>,
    #[serde(rename = "enum")]
    pub allowed: Option<List<Literal>>,
    /// Compare strings case-insensitively (enum and conditions).
    #[serde(default)]
    pub ignore_case: bool,
    /// Inclusive integer range.
    pub range: Option<(i64, i64)>,
    /// Inclusive length in Unicode characters.
    pub length: Option<(usize, usize)>,
    /// A tighter length the documentation advises; past it is a warning.
    pub advised_length: Option<(usize, usize)>,
    /// Inclusive number of items of an array.
    pub count: Option<(usize, usize)>,
    /// Regex the whole value must match.
    pub pattern: Option<Str>,
    /// What the pattern allows, in words.
    pub pattern_hint: Option<Str>,
    pub pattern_hint_zh: Option<Str>,
    /// Regexes the value must not match, each with what it forbids.
    #[serde(default)]
    pub forbid: List<Forbidden>,
    /// Values that mean "not set" (such as `0` for a port that then inherits the channel port).
    #[serde(default)]
    pub unset: List<Literal>,
    /// The documented default, named in help text.
    pub default: Option<Literal>,
    /// The field appears in responses only; a request should not send it.
    #[serde(default)]
    pub response_only: bool,
    /// What the field is, from the spec.
    pub doc: Str,
    /// The same in the page's own Chinese wording.
    #[serde(default)]
    pub doc_zh: Option<Str>,
    /// The index in the rule set of the table `object` or `items` names, so that locating a node
    /// never looks a table up by name (set by `resolve`).
    #[serde(skip)]
    pub table: Option<usize>,
    /// The field's number among all fields of all tables, which keys its compiled patterns
    /// (set by `resolve`).
    #[serde(skip)]
    pub slot: usize,
}

/// The kinds of channel the gateway distinguishes (`vpc_channel_type`, resolved as in §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Builtin,
    Microservice,
    Reference,
}

#[derive(Clone, Debug, Default, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct Cond {
    /// The channel resolves to one of these kinds.
    pub channel: Option<List<ChannelKind>>,
    /// The field the predicates below test.
    pub path: Option<Path>,
    /// The field is set (not missing, not null, not one of its "unset" values).
    pub present: Option<bool>,
    /// The field is set and, for a string, array or object, not empty.
    pub non_empty: Option<bool>,
    /// The field equals one of these (case-insensitively where its table says so).
    pub equals: Option<List<Literal>>,
    /// The field is an integer greater than this.
    pub greater_than: Option<i64>,
    /// The field is an array with more items than this.
    pub more_items_than: Option<usize>,
    pub all: Option<List<Cond>>,
    pub any: Option<List<Cond>>,
    /// Must not hold. Held as a list of one: a condition holds another only through a list.
    #[serde(default, deserialize_with = "one")]
    pub not: Option<List<Cond>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Bake)]
#[databake(path = crate::rules::model)]
pub struct Step {
    pub name: Str,
    /// `name[*]`: every item of the array at `name`.
    pub each: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Bake)]
#[databake(path = crate::rules::model)]
pub struct Path {
    pub absolute: bool,
    pub steps: List<Step>,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let (absolute, rest) = match text.strip_prefix('$') {
            Some(rest) => (true, rest.strip_prefix('.').unwrap_or(rest)),
            None => (false, text),
        };
        let mut steps = Vec::new();
        for part in rest.split('.').filter(|p| !p.is_empty()) {
            let (name, each) = match part.strip_suffix("[*]") {
                Some(name) => (name, true),
                None => (part, false),
            };
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(format!("bad path `{text}`"));
            }
            steps.push(Step { name: Str::Owned(name.to_owned()), each });
        }
        Ok(Path { absolute, steps: List::Owned(steps) })
    }
}

impl<'de> Deserialize<'de> for Path {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Path::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// ruff's model: a safe fix keeps what the gateway does with the body as the user evidently
/// meant it, and changes nothing else; an unsafe one guesses intent (a did-you-mean rename).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Unsafe,
    Safe,
}

/// The closed set of fix kinds a rule file may declare, each implemented once, here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// Write another value in place of the offending one (its replacement computed by the check).
    ReplaceValue,
    /// Remove an object entry (key, value, its own comment lines, and a JSON or flow comma).
    RemoveEntry,
    /// Remove an array item.
    RemoveItem,
    /// Rename a key, keeping its quoting.
    RenameKey,
    /// Replace an entry by another key and a value mapped from the old one (`values`).
    SetKey,
}

/// What a rule's file says about its fix (`[fix]`).
#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct FixDef {
    pub kind: FixKind,
    pub applicability: Applicability,
    /// Template: the rule's placeholders, and `{replacement}` (the text written).
    pub message: Str,
    /// The same in Chinese.
    #[serde(default)]
    pub message_zh: Option<Str>,
    /// `set_key`: the key written instead.
    #[serde(default)]
    pub key: Option<Str>,
    /// `set_key`: the value written for each value of the old key; the first that matches (and
    /// whose `when` holds) wins; none matching means no fix.
    #[serde(default)]
    pub values: List<ValueMap>,
}

#[derive(Clone, Debug, Deserialize, Bake)]
#[databake(path = crate::rules::model)]
#[serde(deny_unknown_fields)]
pub struct ValueMap {
    pub from: Literal,
    pub to: Literal,
    #[serde(default)]
    pub when: Cond,
}

/// Reads one condition into a list of one.
fn one<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<List<Cond>>, D::Error> {
    Ok(Some(List::Owned(vec![Cond::deserialize(deserializer)?])))
}

/// Reads a TOML table of `field = "path"` as pairs, sorted by field (a map is not `'static`).
fn pairs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<List<(Str, Path)>, D::Error> {
    let map = std::collections::BTreeMap::<Str, Path>::deserialize(deserializer)?;
    Ok(List::Owned(map.into_iter().collect()))
}

/// Reads rule files, `(path, contents)` pairs of TOML with paths from the repository root:
/// `rules/objects/…` are field tables, the other `*.toml` rules, anything else is skipped. Then
/// works out what the loader needs ([`resolve`]). The build reads the built-in set with it, the
/// tests the same files at run time. An error names the file.
pub fn read<'f>(files: impl IntoIterator<Item = (&'f str, &'f str)>) -> Result<(Vec<Rule>, Vec<ObjectDef>), String> {
    fn parse<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, String> {
        toml::from_str(text).map_err(|e| format!("{path}: {e}"))
    }
    let mut rules = Vec::new();
    let mut objects = Vec::new();
    for (path, text) in files.into_iter().filter(|(path, _)| path.ends_with(".toml")) {
        if path.starts_with("rules/objects/") {
            objects.push(parse::<ObjectDef>(path, text)?);
        } else {
            rules.push(parse::<Rule>(path, text)?);
        }
    }
    resolve(&mut rules, &mut objects)?;
    Ok((rules, objects))
}

/// What the loader works out once the files are read: the rules in the order of their ids, each
/// field's table index and slot. Names an object a field refers to that no table defines (scalar
/// type names aside).
fn resolve(rules: &mut [Rule], objects: &mut [ObjectDef]) -> Result<(), String> {
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let names: Vec<Str> = objects.iter().map(|o| o.name.clone()).collect();
    let mut slot = 0;
    for object in objects.iter_mut() {
        for field in object.fields.to_mut() {
            field.slot = slot;
            slot += 1;
            let Some(target) = field.object.as_deref().or(field.items.as_deref()) else { continue };
            field.table = names.iter().position(|n| n == target);
            if field.table.is_none() && Type::from_name(target).is_none() {
                return Err(format!("{}.{}: unknown object `{target}`", object.name, field.name));
            }
        }
    }
    Ok(())
}
