//! Where a string breaks its field's pattern: the first character the pattern's character classes
//! do not allow there, and how to name it in a message.

use regex_lite::Regex;

use crate::document::Span;

/// The first character of `value` that the pattern's classes forbid where it stands: at the start
/// (the first class), anywhere (no class has it), or at the end (the last class). `None` when
/// every character is allowed and the value breaks the pattern some other way.
pub fn offending(pattern: &str, value: &str) -> Option<(usize, char, Place)> {
    let classes: Vec<Regex> = classes(pattern).iter().filter_map(|c| Regex::new(&format!("^{c}$")).ok()).collect();
    let allowed = |class: &Regex, c: char| class.is_match(c.encode_utf8(&mut [0; 4]));
    let (first, last) = (classes.first()?, classes.last()?);
    let mut chars = value.char_indices();
    if let Some((_, c)) = chars.next()
        && !allowed(first, c)
    {
        return Some((0, c, Place::Start));
    }
    if let Some((at, c)) = value.char_indices().find(|&(_, c)| !classes.iter().any(|class| allowed(class, c))) {
        return Some((at, c, Place::Anywhere));
    }
    let (at, c) = value.char_indices().next_back()?;
    (pattern.ends_with("])?$") && !allowed(last, c)).then_some((at, c, Place::End))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Start,
    Anywhere,
    End,
}

/// The bracketed classes of a pattern, in order (`[A-Za-z]`, `[A-Za-z0-9_.\-]`).
fn classes(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = pattern.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], start) {
            (b'\\', _) => i += 1,
            (b'[', None) => start = Some(i),
            (b']', Some(s)) => {
                out.push(&pattern[s..=i]);
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A character as a message names it: `` `é` (U+00E9 LATIN SMALL LETTER E WITH ACUTE) `` for
/// anything but a visible ASCII character, which is shown as itself.
pub fn describe(c: char) -> String {
    if c.is_ascii_graphic() {
        return format!("`{c}`");
    }
    let name = unicode_names2::name(c).map(|n| format!(" {n}")).unwrap_or_default();
    let shown = if c.is_control() || c.is_whitespace() { String::new() } else { format!("`{c}` ") };
    format!("{shown}(U+{:04X}{name})", u32::from(c))
}

/// The span of the character at byte `at` of a scalar's value, when the source spells the value
/// without escapes (plain, or quoted: the span is then the value's bytes, or those plus quotes).
pub(crate) fn char_span(value_span: Span, value: &str, at: usize, c: char) -> Option<Span> {
    let quotes = match value_span.len().checked_sub(value.len())? {
        0 => 0,
        2 => 1,
        _ => return None,
    };
    let start = value_span.start + quotes + at;
    Some(Span::new(start, start + c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = r"^[A-Za-z\x{4E00}-\x{9FFC}][A-Za-z0-9\x{4E00}-\x{9FFC}_.\-]*$";
    const LABEL: &str = r"^[A-Za-z0-9]([A-Za-z0-9._\-]*[A-Za-z0-9])?$";

    #[test]
    fn finds_the_first_character_not_allowed_where_it_stands() {
        assert_eq!(offending(NAME, "1orders"), Some((0, '1', Place::Start)));
        assert_eq!(offending(NAME, "订单（主）"), Some((6, '（', Place::Anywhere)));
        assert_eq!(offending(NAME, "my orders"), Some((2, ' ', Place::Anywhere)));
        assert_eq!(offending(LABEL, "zone-"), Some((4, '-', Place::End)));
        assert_eq!(offending(LABEL, "zone"), None);
    }

    #[test]
    fn names_characters_by_code_point() {
        assert_eq!(describe('（'), "`（` (U+FF08 FULLWIDTH LEFT PARENTHESIS)");
        assert_eq!(describe(' '), "(U+0020 SPACE)");
        assert_eq!(describe('@'), "`@`");
    }

    #[test]
    fn spans_the_character_in_plain_and_quoted_values() {
        assert_eq!(char_span(Span::new(10, 19), "my orders", 2, ' '), Some(Span::new(12, 13)));
        assert_eq!(char_span(Span::new(10, 21), "my orders", 2, ' '), Some(Span::new(13, 14)));
        assert_eq!(char_span(Span::new(10, 30), "my orders", 2, ' '), None, "escapes: no guess");
    }
}
