//! Message templates and how values are quoted in them.

use crate::Lang;
use crate::document::{Document, NodeId, Value};
use crate::rules::text::substitute;

/// Replaces `{name}` placeholders with their values; unknown placeholders stay as written
/// (a meta-test keeps templates to the placeholders their check kind fills).
pub(crate) fn fill<V: AsRef<str>>(template: &str, vars: &[(&str, V)]) -> String {
    substitute(template, "{", |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_ref()))
}

/// The placeholders a template uses.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && close > 0 => {
                found.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

const MAX_SHOWN: usize = 48;

/// A value as a message shows it: strings quoted (and shortened), numbers as written.
pub fn show(doc: &Document, lang: Lang, id: NodeId) -> String {
    match doc.value(id) {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => quote(s),
        Value::Array(_) | Value::Object(_) | Value::Alias { .. } => type_name(doc.value(id), lang).into(),
    }
}

pub(crate) fn quote(s: &str) -> String {
    let mut shown: String = s.chars().take(MAX_SHOWN).collect();
    if s.chars().count() > MAX_SHOWN {
        shown.push('…');
    }
    format!("{shown:?}")
}

/// The JSON type of a value, as a message names it.
pub(crate) fn type_name(value: &Value, lang: Lang) -> &'static str {
    if lang == Lang::ZhCn {
        return match value {
            Value::Null => "null",
            Value::Bool(_) => "布尔值",
            Value::Int(_) => "整数",
            Value::Float(_) => "带小数的数字",
            Value::Str(_) => "字符串",
            Value::Array(_) => "数组",
            Value::Object(_) => "对象",
            Value::Alias { .. } => "别名",
        };
    }
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a number with a fraction",
        Value::Str(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Alias { .. } => "an alias",
    }
}

/// `a`, `a` or `b`, `a`, `b` or `c`.
pub(crate) fn one_of(items: &[String], lang: Lang) -> String {
    match (items, lang) {
        ([], _) => String::new(),
        ([one], _) => one.clone(),
        ([init @ .., last], Lang::En) => format!("{} or {last}", init.join(", ")),
        ([init @ .., last], Lang::ZhCn) => format!("{} 或 {last}", init.join("、")),
    }
}
