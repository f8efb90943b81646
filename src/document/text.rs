//! Bytes to text, once: BOM, UTF-16 and invalid UTF-8 are dealt with here; and byte offsets to
//! 1-based lines and character columns.

use std::borrow::Cow;

use super::{LoadProblem, ProblemKind, Span};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a file as UTF-8 and returns the text with the length of its BOM (0 or 3). On failure,
/// also returns the text to show: for bad UTF-8 a lossy decoding, identical up to the bad byte, so
/// the reported position is exact.
pub(super) fn decode(bytes: Cow<'_, [u8]>) -> Result<(String, usize), (LoadProblem, String)> {
    let len = bytes.len();
    let encoding_problem = |message: String, at: usize| LoadProblem {
        kind: ProblemKind::Encoding,
        message,
        span: Span::new(at, (at + 1).min(len).max(at)),
        document: 0,
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_like_utf16(&bytes) {
        let problem = encoding_problem("the file is UTF-16; the gateway reads UTF-8, so save it as UTF-8".into(), 0);
        return Err((LoadProblem { span: Span::new(0, 0), ..problem }, String::new()));
    }
    // Bytes given by value become the text as they are, with no copy.
    let decoded = match bytes {
        Cow::Owned(bytes) => String::from_utf8(bytes).map_err(|e| (e.utf8_error(), Cow::Owned(e.into_bytes()))),
        Cow::Borrowed(bytes) => std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| (e, Cow::Borrowed(bytes))),
    };
    match decoded {
        Ok(text) => {
            let bom = if text.starts_with('\u{FEFF}') { UTF8_BOM.len() } else { 0 };
            Ok((text, bom))
        }
        Err((error, bytes)) => {
            let at = error.valid_up_to();
            let problem = encoding_problem(format!("invalid UTF-8 at byte offset {at}; save the file as UTF-8"), at);
            Err((problem, String::from_utf8_lossy(&bytes).into_owned()))
        }
    }
}

/// UTF-16 without a BOM: ASCII text shows as every other byte being NUL.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 4 && (head.iter().step_by(2).all(|&b| b == 0) || head.iter().skip(1).step_by(2).all(|&b| b == 0))
}

/// memchr's byte searches, chosen when compiling. Its default functions choose at the first call,
/// by asking the CPU which vector instructions it has: a dozen CPUID instructions, each a trap to
/// the hypervisor on a virtual machine (3% of a one-file run's samples in `perf`, about 0.1 ms
/// with what it brings in). On x86-64 its SSE2 searchers (SSE2 is part of every x86-64 CPU) ask
/// nothing; elsewhere the default asks nothing either (the choice is made when compiling).
mod search {
    /// How many times `byte` is in `bytes`.
    pub fn count(byte: u8, bytes: &[u8]) -> usize {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = memchr::arch::x86_64::sse2::memchr::One::new(byte) {
            return one.count(bytes);
        }
        #[cfg(target_arch = "x86_64")]
        return memchr::arch::all::memchr::One::new(byte).count(bytes);
        #[cfg(not(target_arch = "x86_64"))]
        memchr::memchr_iter(byte, bytes).count()
    }

    /// Calls `found` with the position of each `a` and `b` in `bytes`, in order.
    pub fn each(a: u8, b: u8, bytes: &[u8], found: impl FnMut(usize)) {
        #[cfg(target_arch = "x86_64")]
        if let Some(two) = memchr::arch::x86_64::sse2::memchr::Two::new(a, b) {
            return two.iter(bytes).for_each(found);
        }
        #[cfg(target_arch = "x86_64")]
        return memchr::arch::all::memchr::Two::new(a, b).iter(bytes).for_each(found);
        #[cfg(not(target_arch = "x86_64"))]
        memchr::memchr2_iter(a, b, bytes).for_each(found)
    }
}

/// Maps byte offsets to 1-based lines and 1-based columns counted in Unicode characters, in
/// constant time per lookup however long the line: many findings on one huge line stay cheap.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Characters before every `CHECKPOINT`-th byte.
    checkpoints: Vec<usize>,
    bom: usize,
}

const CHECKPOINT: usize = 256;

/// A byte starts a character unless it is a UTF-8 continuation byte.
fn starts_char(byte: u8) -> bool {
    byte & 0xC0 != 0x80
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Room for a start per line feed (a line ended by a lone CR is rare).
        let mut line_starts = Vec::with_capacity(search::count(b'\n', bytes) + 1);
        line_starts.push(0);
        each_line_start(bytes, 0, bytes.len(), |start| line_starts.push(start));
        let mut checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0;
        for chunk in bytes.chunks(CHECKPOINT) {
            checkpoints.push(chars);
            chars += char_starts(chunk);
        }
        checkpoints.push(chars);
        let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        LineIndex { line_starts, checkpoints, bom }
    }

    /// Number of lines (a final line without a newline counts).
    pub(crate) fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// Byte range of a 0-based line, without its line break.
    pub(crate) fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_starts.get(line).copied().unwrap_or(text.len());
        let end = self.line_starts.get(line + 1).map_or(text.len(), |&next| next - 1);
        (start, end.max(start))
    }

    /// Characters that start before byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHECKPOINT;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let rest = &text.as_bytes()[block * CHECKPOINT..offset];
        base + char_starts(rest)
    }

    /// `(line, column)` of a byte offset, both 1-based; the column counts characters, and a BOM
    /// is not a column. Offsets past the end are clamped; one inside a character counts as that
    /// character.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let mut start = self.line_starts[line];
        if line == 0 {
            start = start.max(self.bom.min(offset));
        }
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.chars_before(text, end) - self.chars_before(text, start.min(end));
        (line + 1, column + 1)
    }
}

/// `(line, column)` of offsets met in order (a file's findings, sorted), as
/// [`LineIndex::position`] gives them, without indexing the whole text first: the line breaks and
/// characters are counted from one offset to the next, so the text is gone over once, up to the
/// last offset. An offset before the previous one starts the count again from the top.
#[derive(Clone, Debug)]
pub struct Positions<'t> {
    text: &'t str,
    /// The 0-based line of `at`, the byte its line starts at, and the characters between.
    line: usize,
    line_start: usize,
    chars: usize,
    /// How far the text has been counted (a character boundary).
    at: usize,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Self {
        Positions { text, line: 0, line_start: 0, chars: 0, at: 0 }
    }

    /// `(line, column)` of a byte offset, both 1-based, exactly as [`LineIndex::position`].
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let offset = offset.min(text.len());
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < self.at {
            *self = Positions::new(text);
        }
        // Line breaks are ASCII, so none lies between `end` and `offset` (inside a character).
        let (at, mut line, mut line_start) = (self.at, self.line, self.line_start);
        each_line_start(bytes, at, end, |start| {
            line += 1;
            line_start = start;
        });
        self.chars = if line_start == self.line_start {
            self.chars + char_starts(&bytes[at..end])
        } else {
            char_starts(&bytes[line_start..end])
        };
        (self.line, self.line_start, self.at) = (line, line_start, end);
        // A BOM is not a column.
        let column = if line == 0 && text.starts_with('\u{FEFF}') { self.chars.saturating_sub(1) } else { self.chars };
        (line + 1, column + 1)
    }
}

/// Calls `found` with the start of each line that a line break in `bytes[from..to]` begins, in
/// order: a line ends at LF, CRLF, or a CR alone (YAML 1.2 and JSON both count a lone CR as a line
/// break; without it a file saved with old Mac line ends would be one long line).
fn each_line_start(bytes: &[u8], from: usize, to: usize, mut found: impl FnMut(usize)) {
    search::each(b'\n', b'\r', &bytes[from..to], |i| {
        let i = from + i;
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            found(i + 1);
        }
    });
}

/// The bytes of `bytes` that start a character: its characters, when it starts and ends between
/// two. Most text is ASCII, told a word at a time.
fn char_starts(bytes: &[u8]) -> usize {
    if bytes.is_ascii() { bytes.len() } else { bytes.iter().filter(|&&b| starts_char(b)).count() }
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, Positions};

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a: 1\rb: 2\r\nc: 3\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, 5), (2, 1), "after CR");
        assert_eq!(index.position(text, 11), (3, 1), "after CRLF, one break");
        assert_eq!(index.line_range(text, 0), (0, 4));
        assert_eq!(index.line_of(text.len()), 3);
    }

    #[test]
    fn line_feeds_alone_and_with_carriage_returns_end_the_same_lines() {
        // Line feeds alone, and the same text with CRLF, end the same lines.
        let lf = "{\n  \"name\": \"订单\",\n\n  \"port\": 8080\n}\n";
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf, crlf.as_str()] {
            let index = LineIndex::new(text);
            assert_eq!(index.line_count(), 6, "{text:?}");
            let port = text.find("\"port").unwrap();
            assert_eq!(index.position(text, port), (4, 3), "{text:?}");
            assert_eq!(index.position(text, text.len()), (6, 1), "{text:?}");
        }
        let one = LineIndex::new("no break");
        assert_eq!((one.line_count(), one.position("no break", 3)), (1, (1, 4)));
    }

    #[test]
    fn positions_in_order_are_the_line_index_s() {
        let texts = [
            "\u{FEFF}{\"a\": 1,\r\n \"订单\": \"é\"\r\r\n}\n\nx".to_owned(),
            format!("{}é{}\n订单: x\r\ny\rz\n", "a".repeat(300), "b".repeat(300)),
            "\u{FEFF}".to_owned(),
            String::new(),
        ];
        for text in &texts {
            let index = LineIndex::new(text);
            let mut positions = Positions::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(positions.position(offset), index.position(text, offset), "{text:?} at {offset}");
            }
            // Far apart, as the findings of a long file are.
            let mut positions = Positions::new(text);
            for offset in (0..=text.len()).step_by(97).chain([text.len()]) {
                assert_eq!(positions.position(offset), index.position(text, offset), "{text:?} at {offset}");
            }
            // Out of order (and again in order after): counted again from the top.
            let mut positions = Positions::new(text);
            for offset in (0..=text.len()).rev().chain(0..=text.len()) {
                assert_eq!(positions.position(offset), index.position(text, offset), "{text:?} at {offset}");
            }
        }
    }

    #[test]
    fn positions_agree_with_the_line_index_on_mixed_texts() {
        // Texts drawn from line breaks of every kind, a BOM, and one-, two- and three-byte
        // characters, by a fixed linear congruential sequence.
        let pieces = ["a", "\n", "\r", "\r\n", "é", "订", "\u{FEFF}", "  "];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..300 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            for _ in 0..(seed >> 58) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(seed >> 61) as usize]);
            }
            let index = LineIndex::new(&text);
            let mut positions = Positions::new(&text);
            for offset in (0..=text.len()).step_by(1 + (seed >> 62) as usize) {
                assert_eq!(positions.position(offset), index.position(&text, offset), "{text:?} at {offset}");
            }
            // One long step, from the top to the end.
            let end = Positions::new(&text).position(text.len());
            assert_eq!(end, index.position(&text, text.len()), "{text:?} at its end");
        }
    }

    #[test]
    fn columns_count_characters_on_long_and_short_lines() {
        let text = format!("{}é{}\n订单: x\r\ny", "a".repeat(1000), "b".repeat(700));
        let index = LineIndex::new(&text);
        assert_eq!(index.position(&text, 0), (1, 1));
        assert_eq!(index.position(&text, 1000), (1, 1001), "at é");
        assert_eq!(index.position(&text, 1002), (1, 1002), "after é, two bytes, one column");
        assert_eq!(index.position(&text, 1001), (1, 1001), "inside é counts as é");
        let second = text.find('订').unwrap();
        assert_eq!(index.position(&text, second + 6), (2, 3), "after two CJK characters");
        assert_eq!(index.position(&text, text.len()), (3, 2));
        assert_eq!(index.position(&text, text.len() + 10), (3, 2), "clamped");
        for offset in 0..=text.len() {
            let (line, column) = index.position(&text, offset);
            let mut end = offset;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(
                (line, column),
                (text[..end].matches('\n').count() + 1, text[line_start..end].chars().count() + 1)
            );
        }
    }
}
