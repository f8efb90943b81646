//! Text helpers the rule data needs, below the engine so that both the engine (message templates)
//! and the schema generator (pattern escapes) use them without reaching up a layer.

/// Replaces each `open…}` in `text` with what `replace` gives for the text between; where it
/// gives nothing, the original stays.
pub fn substitute<R: AsRef<str>>(text: &str, open: &str, replace: impl Fn(&str) -> Option<R>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    // A one-byte opener (`{`, as templates have) is found as a character, not a substring. Not
    // with the memchr crate: its first call asks the CPU what it can do, and that question is the
    // dearest thing a one-file run does on a virtual machine (see `document::text::search`).
    let find = |rest: &str| match open.as_bytes() {
        // A one-byte `str` is ASCII, so the byte is the character.
        [byte] => rest.find(char::from(*byte)),
        _ => rest.find(open),
    };
    while let Some(at) = find(rest) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        match after.find('}').and_then(|close| Some((close, replace(&after[..close])?))) {
            Some((close, value)) => {
                out.push_str(value.as_ref());
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
