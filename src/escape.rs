//! Text from a checked file (keys, values, parser messages, file names) made safe to show: control
//! characters, bidirectional overrides and invisible characters become visible escapes, so a key
//! cannot set a terminal's title, write its clipboard (OSC 52), reorder what a reviewer reads, or
//! start a new line in a line-based format.

use std::borrow::Cow;

/// Characters that are escaped wherever text is shown.
pub fn is_unsafe(c: char) -> bool {
    let u = u32::from(c);
    c.is_control() // C0 (tab and line breaks included), DEL, C1
        || matches!(u,
            0x00AD              // soft hyphen
            | 0x034F            // combining grapheme joiner
            | 0x061C            // Arabic letter mark (bidi)
            | 0x115F | 0x1160   // Hangul fillers
            | 0x17B4 | 0x17B5   // Khmer inherent vowels
            | 0x180B..=0x180F   // Mongolian variation selectors and vowel separator
            | 0x200B..=0x200F   // zero-width space, joiners, LRM, RLM
            | 0x2028 | 0x2029   // line and paragraph separators
            | 0x202A..=0x202E   // bidi embeddings and overrides
            | 0x2060..=0x206F   // word joiner, invisible operators, bidi isolates, deprecated formats
            | 0x3164            // Hangul filler
            | 0xFE00..=0xFE0F   // variation selectors
            | 0xFEFF            // zero-width no-break space (BOM)
            | 0xFFA0            // half-width Hangul filler
            | 0xFFF9..=0xFFFB   // interlinear annotations
            | 0x1D173..=0x1D17A // musical formatting
            | 0xE0000..=0xE0FFF // tags, variation selectors supplement
        )
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE // the noncharacters U+FFFE, U+FFFF and their kin in every plane
}

/// `text` with every unsafe character written as an escape: `\n`, `\r`, `\t`, or `\u{202e}`.
/// Borrowed when there is nothing to escape (the usual case).
pub fn text(text: &str) -> Cow<'_, str> {
    // Printable ASCII (nearly every key, value and file name) has nothing to escape.
    // Past the printable ASCII prefix, a character is tested only when it is not printable ASCII
    // (a message with one en dash or a Chinese one was tested character by character in full).
    let plain = text.bytes().position(|b| !(0x20..0x7F).contains(&b));
    if plain.is_none_or(|at| !text[at..].chars().any(|c| !matches!(c, ' '..='~') && is_unsafe(c))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text (as serde_json writes it) with every unsafe character inside its strings written as
/// a `\uXXXX` escape (a surrogate pair past U+FFFF). A JSON reader gets the same strings back,
/// pointers and file names exact, while the bytes hold no bidi override, DEL or invisible
/// character for a viewer to render. serde_json escapes U+0000–U+001F itself (not DEL or C1), so
/// the raw line feeds left are the pretty printer's.
pub fn json(text: String) -> String {
    let escaped = |c: char| c != '\n' && is_unsafe(c);
    if !text.chars().any(escaped) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !escaped(c) {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            out.push_str(&format!("\\u{unit:04x}"));
        }
    }
    out
}

/// Source text for a snippet: every unsafe character replaced by a visible one of the same UTF-8
/// length, so byte offsets and character columns stay as they are. Tabs and line feeds are kept;
/// the carriage return of a CRLF becomes a space (miette would print it, and a raw CR moves a
/// terminal's cursor back over the line), and a lone carriage return (an old Mac line end) a line
/// feed, as the line index counts it.
pub(crate) fn same_width(text: &str) -> Cow<'_, str> {
    let needs = text.chars().any(|c| c != '\t' && c != '\n' && is_unsafe(c));
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let replacement = match c {
            '\t' | '\n' => c,
            '\r' if text.as_bytes().get(at + 1) == Some(&b'\n') => ' ',
            '\r' => '\n',
            c if is_unsafe(c) => match c.len_utf8() {
                1 => '?',
                2 => '\u{00BF}',  // ¿
                3 => '\u{FFFD}',  // �
                _ => '\u{1F6AB}', // a four-byte visible sign
            },
            c => c,
        };
        out.push(replacement);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_bidi_and_invisibles() {
        assert_eq!(text("plain key é 订单"), "plain key é 订单");
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        assert_eq!(text("x\u{1b}]0;PWNED\u{7}"), "x\\u{1b}]0;PWNED\\u{7}");
        assert_eq!(text("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(text("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(text("zero\u{200b}width\u{feff}"), "zero\\u{200b}width\\u{feff}");
        assert_eq!(text("\u{fffe}\u{ffff}\u{9b}"), "\\u{fffe}\\u{ffff}\\u{9b}");
        assert_eq!(text("tag\u{e0041}"), "tag\\u{e0041}");
    }

    #[test]
    fn json_escapes_keep_the_data() {
        let value = serde_json::json!({ "k\u{202e}": "a\u{1b}\u{feff}\u{e0041}\u{ffff}\u{7f}\u{85}" });
        let escaped = json(serde_json::to_string_pretty(&value).unwrap());
        assert!(!escaped.chars().any(|c| is_unsafe(c) && c != '\n'), "{escaped}");
        assert!(escaped.contains("\\udb40\\udc41"), "a surrogate pair: {escaped}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&escaped).unwrap(), value);
    }

    #[test]
    fn same_width_keeps_offsets() {
        let source = "a: \"\u{1b}[31m\u{202e}\u{85}\u{e0041}\"\rb: 1\r\nc: \t2\n";
        let shown = same_width(source);
        assert_eq!(shown.len(), source.len());
        assert_eq!(shown.chars().count(), source.chars().count());
        assert!(!shown.chars().any(|c| is_unsafe(c) && !matches!(c, '\t' | '\n')), "{shown:?}");
        assert!(shown.contains("\nb: 1 \nc: \t2\n"), "a lone CR ends a line; CRLF keeps its LF: {shown:?}");
    }
}
