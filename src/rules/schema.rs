//! Field tables: one per object of the spec (`rules/objects/*.toml`).

use std::fmt;

use super::pattern::Pattern;
use super::{FieldDef, Literal, ObjectDef, Type};

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

impl Type {
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

impl ObjectDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| crate::document::same_name(&f.name, name))
    }
    /// Fields a request may carry (not response-only).
    pub(crate) fn request_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.iter().filter(|f| !f.response_only)
    }
}

/// A field's patterns, compiled ([`super::RuleSet::compiled`]).
#[derive(Debug)]
pub struct Compiled {
    pub pattern: Option<Pattern>,
    /// Each forbidden pattern with what it forbids, in English and in Chinese.
    pub forbid: Vec<(Pattern, String, String)>,
}

impl Compiled {
    pub(crate) fn new(field: &FieldDef) -> Result<Compiled, regex_lite::Error> {
        let pattern = field.pattern.as_deref().map(Pattern::new).transpose()?;
        let forbid = field
            .forbid
            .iter()
            .map(|f| {
                Ok((Pattern::new(&f.regex)?, f.hint.to_string(), f.hint_zh.as_ref().unwrap_or(&f.hint).to_string()))
            })
            .collect::<Result<_, regex_lite::Error>>()?;
        Ok(Compiled { pattern, forbid })
    }
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
}
