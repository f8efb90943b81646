//! A span-exact reader for valid, strict JSON: one pass over the bytes straight into the node
//! tree, without recursion (an explicit stack of open containers) and without the intermediate
//! AST of `jsonc-parser`.
//!
//! It only ever accepts: on anything it does not read as strict RFC 8259 JSON within the limits
//! (a syntax error, a raw control character, a lone surrogate, a white space character JSON
//! does not allow, nesting past the limit, an empty file) it gives up, and the caller reads the
//! text with `jsonc-parser`, which words the diagnostic. Both build the same tree for every text
//! this reader accepts (nodes in the same order, the same spans): a test over the samples and the
//! `load_json` fuzz target hold them to it. Measured in docs/dependencies.md.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::json::number;
use super::{Document, Entry, Key, Limits, Name, Node, NodeId, Span, Value};

/// Deeper texts are left to `jsonc-parser`, whose own limit (512 levels) then speaks.
const DEEPEST: usize = 256;

/// The document in `body` (the file after any BOM; `base` is the BOM's length, added to every
/// span), or `None` when the text is not strict JSON within `limits`.
pub(super) fn read(body: &str, base: usize, limits: Limits) -> Option<Document> {
    // A channel file has about one node per 25 bytes (the 2,000 files of the benchmark: 15.7 nodes
    // in 400 bytes): room for that many at once (bounded, for a large file of long strings). A
    // denser file grows the vector once. Room for one node per 16 bytes, as before, made a typical
    // file's block too large for glibc's thread cache (1,032 bytes), so each file took the arena's
    // lock on two threads: 1,618 fewer of those allocations and 0.5 M fewer instructions on the
    // 2,000 files, the same instructions on a file of 5,000 members.
    let nodes = Vec::with_capacity((body.len() / 24).min(1 << 14) + 2);
    Reader { bytes: body.as_bytes(), body, at: 0, base, doc: Document { start: base, nodes, ..Document::default() } }
        .document(limits)
}

/// A container being read: where it starts, and what it holds so far.
enum Open {
    Object { start: usize, entries: Vec<Entry>, key: Key },
    Array { start: usize, items: Vec<NodeId> },
}

struct Reader<'t> {
    bytes: &'t [u8],
    body: &'t str,
    at: usize,
    base: usize,
    doc: Document,
}

impl<'t> Reader<'t> {
    fn document(mut self, limits: Limits) -> Option<Document> {
        // Held inline as deep as a channel goes.
        let mut open: SmallVec<[Open; 8]> = SmallVec::new();
        self.space();
        'value: loop {
            // A value starts here: a scalar completes at once, a container opens (or is empty).
            let start = self.at;
            let mut node = match *self.bytes.get(self.at)? {
                b'{' | b'[' if open.len() + 1 > limits.max_depth.min(DEEPEST) => return None,
                b'{' => {
                    self.at += 1;
                    self.space();
                    if self.eat(b'}') {
                        self.node(Value::Object(Vec::new()), start)
                    } else {
                        let key = self.key()?;
                        // A channel's top level has a dozen keys, the objects in it a few.
                        let entries = Vec::with_capacity(if open.is_empty() { 16 } else { 4 });
                        open.push(Open::Object { start, entries, key });
                        continue 'value;
                    }
                }
                b'[' => {
                    self.at += 1;
                    self.space();
                    if self.eat(b']') {
                        self.node(Value::Array(Vec::new()), start)
                    } else {
                        open.push(Open::Array { start, items: Vec::new() });
                        continue 'value;
                    }
                }
                b'"' => {
                    let text = self.string()?;
                    self.node(Value::Str(text.into()), start)
                }
                b't' => self.word("true", Value::Bool(true))?,
                b'f' => self.word("false", Value::Bool(false))?,
                b'n' => self.word("null", Value::Null)?,
                _ => {
                    let value = number(self.number()?);
                    self.node(value, start)
                }
            };
            // The value is complete: it goes into the innermost open container, which may close
            // in turn, and so on outwards.
            loop {
                self.space();
                let Some(container) = open.last_mut() else {
                    // The top-level value: nothing may follow it.
                    if self.at != self.bytes.len() {
                        return None;
                    }
                    self.doc.set_root(node);
                    return Some(self.doc);
                };
                let closing = match container {
                    Open::Object { entries, key, .. } => {
                        let taken =
                            std::mem::replace(key, Key { name: Name::default(), span: Span::default(), merge: false });
                        entries.push(Entry { key: taken, value: node });
                        if self.eat(b',') {
                            self.space();
                            *key = self.key()?;
                            continue 'value;
                        }
                        self.eat(b'}')
                    }
                    Open::Array { items, .. } => {
                        items.push(node);
                        if self.eat(b',') {
                            self.space();
                            continue 'value;
                        }
                        self.eat(b']')
                    }
                };
                if !closing {
                    return None;
                }
                node = match open.pop()? {
                    Open::Object { start, entries, .. } => self.node(Value::Object(entries), start),
                    Open::Array { start, items } => self.node(Value::Array(items), start),
                };
            }
        }
    }

    /// Pushes a node that started at `start` and ends here.
    fn node(&mut self, value: Value, start: usize) -> NodeId {
        self.doc.push(Node { value, span: Span::new(start + self.base, self.at + self.base) })
    }

    /// RFC 8259 §2: space, tab, line feed and carriage return only.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// An object key and the colon after it; the value's white space is skipped.
    fn key(&mut self) -> Option<Key> {
        let start = self.at;
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let name = match self.string()? {
            Cow::Borrowed(text) => Name::new(text),
            Cow::Owned(text) => Name::from(text),
        };
        let span = Span::new(start + self.base, self.at + self.base);
        self.space();
        if !self.eat(b':') {
            return None;
        }
        self.space();
        Some(Key { name, span, merge: false })
    }

    fn word(&mut self, word: &str, value: Value) -> Option<NodeId> {
        let start = self.at;
        if !self.bytes[self.at..].starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        Some(self.node(value, start))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as its text.
    fn number(&mut self) -> Option<&str> {
        let start = self.at;
        self.eat(b'-');
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.') {
            self.some_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            self.some_digits()?;
        }
        self.body.get(start..self.at)
    }

    fn digits(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    /// A string literal from its opening quote, unescaped: borrowed from the text when it has no
    /// escape.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        self.at += 1;
        let start = self.at;
        // The common case: no escape before the closing quote.
        self.skip_plain();
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    let text = self.body.get(start..self.at)?;
                    self.at += 1;
                    return Some(Cow::Borrowed(text));
                }
                b'\\' => break,
                0..0x20 => return None,
                _ => self.at += 1,
            }
        }
        let mut text = self.body.get(start..self.at)?.to_owned();
        loop {
            let run = self.at;
            while !matches!(*self.bytes.get(self.at)?, b'"' | b'\\' | 0..0x20) {
                self.at += 1;
            }
            text.push_str(self.body.get(run..self.at)?);
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(text));
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = match *self.bytes.get(self.at)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    self.at += 1;
                    text.push(escaped);
                }
                _ => return None,
            }
        }
    }

    /// Moves past the bytes a string holds as they are (not a quote, a backslash or a control
    /// character), eight at a time while eight remain; the byte-wise loop of [`Reader::string`]
    /// takes the rest.
    fn skip_plain(&mut self) {
        const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
        const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
        // The high bit of each byte of `word` below `n` (n ≤ 128), and of some bytes above one
        // that is: the lowest flagged byte is the first such byte (Hacker's Delight, 6-1).
        let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
        let equal = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
        while let Some(eight) = self.bytes.get(self.at..).and_then(<[u8]>::first_chunk::<8>) {
            let word = u64::from_le_bytes(*eight);
            let stops = below(word, 0x20) | equal(word, b'"') | equal(word, b'\\');
            if stops != 0 {
                self.at += (stops.trailing_zeros() / 8) as usize;
                return;
            }
            self.at += 8;
        }
    }

    /// `\uXXXX` (the reader is on the `u`), or a surrogate pair `\uD8XX\uDCXX`; leaves the reader
    /// on the last hex digit. A lone surrogate is left to `jsonc-parser`.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4(self.at + 1)?;
        self.at += 4;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.bytes.get(self.at + 1..self.at + 3) != Some(b"\\u") {
            return None;
        }
        let low = self.hex4(self.at + 3)?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        self.at += 6;
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.body.get(at..at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{Document, Reader};

    /// Eight bytes at a time stop where one at a time would: at the first quote, backslash or
    /// control character, whatever surrounds it (UTF-8 lead bytes, 0x7F, a space); with fewer
    /// than eight bytes left, they are left to the byte-wise loop.
    #[test]
    fn plain_bytes_are_skipped_to_the_first_stop() {
        let fillers: [&[u8]; 5] = [b"a", "\u{e9}".as_bytes(), "\u{4e2d}".as_bytes(), b"\x7f", b" "];
        let stops: [u8; 6] = [b'"', b'\\', 0x00, 0x1f, b'\n', b'\t'];
        for filler in fillers {
            for &stop in &stops {
                for before in 0..20 {
                    let mut bytes: Vec<u8> = filler.iter().copied().cycle().take(before * filler.len()).collect();
                    let at = bytes.len();
                    bytes.push(stop);
                    bytes.extend(filler.iter().copied().cycle().take(9 * filler.len()));
                    let body = String::from_utf8_lossy(&bytes).into_owned();
                    let mut reader =
                        Reader { bytes: body.as_bytes(), body: &body, at: 0, base: 0, doc: Document::default() };
                    reader.skip_plain();
                    let expected = body.bytes().position(|b| b == b'"' || b == b'\\' || b < 0x20).unwrap();
                    assert_eq!(expected, at, "{filler:?} {stop:#x} {before}");
                    // Eight bytes or more follow the stop, so the word that holds it is read.
                    assert_eq!(reader.at, at, "{filler:?} {stop:#x} {before}");
                }
            }
        }
    }
}
