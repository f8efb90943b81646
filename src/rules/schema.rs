//! Field tables: one per object of the spec (`rules/objects/*.toml`).

use std::fmt;
use std::sync::OnceLock;

use super::pattern::Pattern;
use serde::Deserialize;

use super::Cond;

/// A literal in rule data: an enum member, an "unset" value, a conflict pair.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Int(i64),
    Bool(bool),
    Str(String),
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
                Ok(Literal::Str(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Literal {
    /// Does a document value equal this literal (strings case-insensitively with `ignore_case`)?
    pub(crate) fn matches(&self, value: &crate::document::Value, ignore_case: bool) -> bool {
        use crate::document::Value;
        match (value, self) {
            (Value::Int(v), Literal::Int(l)) => *v == i128::from(*l),
            (Value::Bool(v), Literal::Bool(l)) => v == l,
            (Value::Str(v), Literal::Str(l)) if ignore_case => v.eq_ignore_ascii_case(l),
            (Value::Str(v), Literal::Str(l)) => v == l,
            _ => false,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl Type {
    pub(crate) fn from_name(name: &str) -> Option<Type> {
        match name {
            "string" => Some(Type::String),
            "integer" => Some(Type::Integer),
            "boolean" => Some(Type::Boolean),
            "object" => Some(Type::Object),
            "array" => Some(Type::Array),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Boolean => "boolean",
            Type::Object => "object",
            Type::Array => "array",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    /// The spec's name for the object, such as `VpcHealthConfig`.
    pub name: String,
    /// The request body itself.
    #[serde(default)]
    pub root: bool,
    /// The spec table it comes from.
    #[serde(deserialize_with = "super::text::prose")]
    pub source: super::text::Prose,
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

impl ObjectDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
    /// Fields a request may carry (not response-only).
    pub(crate) fn request_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.iter().filter(|f| !f.response_only)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    pub regex: String,
    pub hint: String,
    pub hint_zh: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    /// For `type = "object"`: the object's table.
    pub object: Option<String>,
    /// For `type = "array"`: the items' table, or a scalar type name.
    pub items: Option<String>,
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
    pub applies: Option<String>,
    pub applies_zh: Option<String>,
    #[serde(rename = "enum")]
    pub allowed: Option<Vec<Literal>>,
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
    pub pattern: Option<String>,
    /// What the pattern allows, in words.
    pub pattern_hint: Option<String>,
    pub pattern_hint_zh: Option<String>,
    /// Regexes the value must not match, each with what it forbids.
    #[serde(default)]
    pub forbid: Vec<Forbidden>,
    /// Values that mean "not set" (such as `0` for a port that then inherits the channel port).
    #[serde(default)]
    pub unset: Vec<Literal>,
    /// The documented default, named in help text.
    pub default: Option<Literal>,
    /// The field appears in responses only; a request should not send it.
    #[serde(default)]
    pub response_only: bool,
    /// What the field is, from the spec.
    #[serde(deserialize_with = "super::text::prose")]
    pub doc: super::text::Prose,
    /// The same in the page's own Chinese wording.
    #[serde(default, deserialize_with = "super::text::prose_opt")]
    pub doc_zh: Option<super::text::Prose>,
    #[serde(skip)]
    compiled: OnceLock<Compiled>,
    /// The index in the rule set of the table `object` or `items` names (set once all tables
    /// are read, so that locating a node never looks a table up by name).
    #[serde(skip)]
    pub(crate) table: Option<usize>,
}

#[derive(Debug)]
pub struct Compiled {
    pub pattern: Option<Pattern>,
    /// Each forbidden pattern with what it forbids, in English and in Chinese.
    pub forbid: Vec<(Pattern, String, String)>,
}

impl FieldDef {
    /// The field's description in `lang`.
    pub(crate) fn doc_in(&self, lang: crate::Lang) -> &str {
        lang.translated(&self.doc, self.doc_zh.as_deref())
    }

    /// What the pattern allows, in words, in `lang`.
    pub(crate) fn pattern_hint_in(&self, lang: crate::Lang) -> Option<&str> {
        Some(lang.translated(self.pattern_hint.as_deref()?, self.pattern_hint_zh.as_deref()))
    }

    /// Where the field applies, in words, in `lang`.
    pub(crate) fn applies_in(&self, lang: crate::Lang) -> Option<&str> {
        Some(lang.translated(self.applies.as_deref()?, self.applies_zh.as_deref()))
    }

    /// The compiled patterns, built on first use (start-up stays cheap for small files).
    pub fn compile(&self) -> Result<&Compiled, regex_lite::Error> {
        if let Some(compiled) = self.compiled.get() {
            return Ok(compiled);
        }
        let pattern = self.pattern.as_deref().map(Pattern::new).transpose()?;
        let forbid = self
            .forbid
            .iter()
            .map(|f| Ok((Pattern::new(&f.regex)?, f.hint.clone(), f.hint_zh.clone().unwrap_or_else(|| f.hint.clone()))))
            .collect::<Result<_, regex_lite::Error>>()?;
        Ok(self.compiled.get_or_init(|| Compiled { pattern, forbid }))
    }
}
