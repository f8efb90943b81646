//! Byte offsets to LSP positions and back, through the document's [`LineIndex`], counting columns
//! in the encoding the client negotiated: UTF-8 bytes when it offers them, else UTF-16 code units
//! (the protocol's default). A CJK character is 3 UTF-8 units and 1 UTF-16 unit; a character
//! outside the BMP (an emoji) is 4 and 2.

use lsp_types::{Position, Range};

use crate::document::{LineIndex, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A document's text with its line index: the one place positions are converted.
pub struct Lines<'t> {
    pub text: &'t str,
    pub index: &'t LineIndex,
    pub encoding: Encoding,
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl Lines<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let line = self.index.line_of(offset);
        let (start, _) = self.index.line_range(self.text, line);
        let start = start.min(offset);
        let character: usize = self.text[start..offset].chars().map(|c| self.encoding.units(c)).sum();
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position; a column past the end of its line is the line's end, a line
    /// past the end of the text is the text's end, a column inside a character is that character.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let (start, end) = self.index.line_range(self.text, line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in self.text[start..end].char_indices() {
            let next = units + self.encoding.units(c);
            if next > wanted {
                return start + at;
            }
            units = next;
        }
        // Past the last character: the line's end, before a CR of a CRLF pair.
        if self.text[start..end].ends_with('\r') { end - 1 } else { end }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_and_astral_characters_in_both_encodings() {
        let text = "name: 订单😀x\r\nport: 1";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        for (encoding, column) in [(Encoding::Utf8, 6 + 3 * 2 + 4), (Encoding::Utf16, 6 + 2 + 2)] {
            let lines = Lines { text, index: &index, encoding };
            assert_eq!(lines.position(x), Position::new(0, column), "{encoding:?}");
            assert_eq!(lines.offset(Position::new(0, column)), x, "{encoding:?}");
            assert_eq!(lines.offset(Position::new(0, 99)), x + 1, "{encoding:?}: before the CR");
            assert_eq!(lines.position(text.len()), Position::new(1, 7));
            assert_eq!(lines.offset(Position::new(5, 0)), text.len());
        }
        // Inside the emoji (UTF-16: between its surrogates) counts as the emoji.
        let emoji = text.find('😀').unwrap_or_default();
        let lines = Lines { text, index: &index, encoding: Encoding::Utf16 };
        assert_eq!(lines.offset(Position::new(0, 9)), emoji);
    }
}
