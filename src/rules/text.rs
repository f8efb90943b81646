//! Text helpers the rule data needs, below the engine so that both the engine (message templates)
//! and the schema generator (pattern escapes) use them without reaching up a layer.

/// Replaces each `open…}` in `text` with what `replace` gives for the text between; where it
/// gives nothing, the original stays.
pub fn substitute(text: &str, open: &str, replace: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        match after.find('}').and_then(|close| Some((close, replace(&after[..close])?))) {
            Some((close, value)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Prose of the rule data (docs, sources, messages, field descriptions). The build interns it:
/// the embedded JSON holds an index into a table of string literals, so start-up neither parses
/// nor copies it. Rule files read from TOML (tests) hold the strings themselves.
pub type Prose = std::borrow::Cow<'static, str>;

struct ProseVisitor;

impl serde::de::Visitor<'_> for ProseVisitor {
    type Value = Prose;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_u64<E: serde::de::Error>(self, index: u64) -> Result<Prose, E> {
        let text = usize::try_from(index).ok().and_then(|i| super::embedded::TEXTS.get(i));
        text.map(|t| Prose::Borrowed(t)).ok_or_else(|| E::custom(format!("no interned text {index}")))
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Prose, E> {
        Ok(Prose::Owned(text.to_owned()))
    }
}

/// Reads a [`Prose`] field (`#[serde(deserialize_with = "text::prose")]`).
pub(crate) fn prose<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Prose, D::Error> {
    deserializer.deserialize_any(ProseVisitor)
}

/// Reads an optional [`Prose`] field (with `#[serde(default)]`).
pub(crate) fn prose_opt<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Prose>, D::Error> {
    prose(deserializer).map(Some)
}
