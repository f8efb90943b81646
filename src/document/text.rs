//! Bytes to text, once: BOM, UTF-16 and invalid UTF-8 are dealt with here; and byte offsets to
//! 1-based lines and character columns.

use super::{LoadProblem, ProblemKind, Span};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a file as UTF-8 and returns the text with the length of its BOM (0 or 3). On failure,
/// also returns the text to show: for bad UTF-8 a lossy decoding, identical up to the bad byte, so
/// the reported position is exact.
pub(super) fn decode(bytes: &[u8]) -> Result<(String, usize), (LoadProblem, String)> {
    let encoding_problem = |message: String, at: usize| LoadProblem {
        kind: ProblemKind::Encoding,
        message,
        span: Span::new(at, (at + 1).min(bytes.len()).max(at)),
        document: 0,
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_like_utf16(bytes) {
        let problem = encoding_problem("the file is UTF-16; the gateway reads UTF-8, so save it as UTF-8".into(), 0);
        return Err((LoadProblem { span: Span::new(0, 0), ..problem }, String::new()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let bom = if bytes.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
            Ok((text.to_owned(), bom))
        }
        Err(error) => {
            let at = error.valid_up_to();
            let problem = encoding_problem(format!("invalid UTF-8 at byte offset {at}; save the file as UTF-8"), at);
            Err((problem, String::from_utf8_lossy(bytes).into_owned()))
        }
    }
}

/// UTF-16 without a BOM: ASCII text shows as every other byte being NUL.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 4 && (head.iter().step_by(2).all(|&b| b == 0) || head.iter().skip(1).step_by(2).all(|&b| b == 0))
}

/// Maps byte offsets to 1-based lines and 1-based columns counted in Unicode characters.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    bom: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        LineIndex { line_starts, bom }
    }

    /// `(line, column)` of a byte offset, both 1-based; the column counts characters, and a BOM
    /// is not a column. Offsets past the end or inside a character are clamped.
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
        let column = text.get(start..end).map_or(0, |s| s.chars().count());
        (line + 1, column + 1)
    }
}
