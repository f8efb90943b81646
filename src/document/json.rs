//! Strict JSON (no comments, no trailing commas) into the node tree, through `jsonc-parser`.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{Document, Entry, Key, Limits, LoadProblem, Node, ProblemKind, Span, Value};

const STRICT: ParseOptions = ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Parses `body` (the file after any BOM); `base` is the BOM's length, added to every span.
pub(super) fn load(body: &str, base: usize, limits: Limits) -> (Vec<Document>, Vec<LoadProblem>) {
    // Valid JSON (nearly every file) is read in one pass; anything else is read again here, and
    // the diagnostic is worded from `jsonc-parser`'s error.
    if let Some(doc) = super::json_reader::read(body, base, limits) {
        return (vec![doc], Vec::new());
    }
    load_slowly(body, base, limits)
}

/// [`load`] through `jsonc-parser`'s AST: the reference the fast reader is tested against.
pub(super) fn load_slowly(body: &str, base: usize, limits: Limits) -> (Vec<Document>, Vec<LoadProblem>) {
    let span = |r: jsonc_parser::common::Range| Span::new(r.start + base, r.end + base);
    let parsed = parse_to_ast(body, &CollectOptions::default(), &STRICT);
    if parsed.is_ok()
        && let Some(problem) = foreign_whitespace(body, base)
    {
        return (Vec::new(), vec![problem]);
    }
    match parsed {
        Ok(parsed) => {
            let Some(ast) = parsed.value else {
                return (Vec::new(), Vec::new());
            };
            let mut builder =
                Builder { body, doc: Document { start: base, ..Document::default() }, base, limits, problem: None };
            let root = builder.build(&ast, 1);
            builder.doc.set_root(root);
            match builder.problem {
                // A syntax error found while building means the text is not JSON: no document.
                Some(problem) if problem.kind == ProblemKind::Syntax => (Vec::new(), vec![problem]),
                problem => (vec![builder.doc], problem.into_iter().collect()),
            }
        }
        Err(error) => {
            let problem = LoadProblem {
                kind: match error.kind() {
                    jsonc_parser::errors::ParseErrorKind::NestingDepthExceeded => ProblemKind::Limit,
                    _ => ProblemKind::Syntax,
                },
                message: syntax_message(&error.kind().to_string()),
                span: span(error.range()),
                document: 0,
            };
            (Vec::new(), vec![problem])
        }
    }
}

/// RFC 8259 §2: whitespace between tokens is space, tab, line feed and carriage return only.
/// `jsonc-parser` takes any Unicode white space (form feed, NBSP, U+2028), which the gateway's
/// decoder refuses. Called on text that parsed, so outside strings only tokens and white space
/// remain: anything else that is not a token character is foreign white space.
fn foreign_whitespace(body: &str, base: usize) -> Option<LoadProblem> {
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            ' ' | '\t' | '\n' | '\r' => {}
            c if c.is_whitespace() || c == '\u{FEFF}' => {
                let start = at + base;
                return Some(LoadProblem {
                    kind: ProblemKind::Syntax,
                    message: format!(
                        "invalid JSON: U+{:04X} is not JSON white space (only space, tab, line feed and carriage return are)",
                        u32::from(c)
                    ),
                    span: Span::new(start, start + c.len_utf8()),
                    document: 0,
                });
            }
            _ => {}
        }
    }
    None
}

/// The parser's messages start with a capital letter; ours read as one lowercase sentence.
fn syntax_message(message: &str) -> String {
    let mut chars = message.chars();
    let lowered: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
    format!("invalid JSON: {}", lowered.trim_end_matches('.'))
}

struct Builder<'t> {
    body: &'t str,
    doc: Document,
    base: usize,
    limits: Limits,
    problem: Option<LoadProblem>,
}

impl Builder<'_> {
    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        Span::new(r.start + self.base, r.end + self.base)
    }

    fn build(&mut self, ast: &Ast, depth: usize) -> usize {
        let span = self.span(ast.range());
        if depth > self.limits.max_depth && matches!(ast, Ast::Object(_) | Ast::Array(_)) {
            if self.problem.is_none() {
                self.problem = Some(LoadProblem {
                    kind: ProblemKind::Limit,
                    message: format!("nesting is deeper than {} levels", self.limits.max_depth),
                    span: Span::new(span.start, span.start + 1),
                    document: 0,
                });
            }
            return self.doc.push(Node { value: Value::Null, span });
        }
        let value = match ast {
            Ast::NullKeyword(_) => Value::Null,
            Ast::BooleanLit(b) => Value::Bool(b.value),
            Ast::StringLit(s) => {
                self.check_string(s.range);
                Value::Str(s.value.as_ref().into())
            }
            Ast::NumberLit(n) => number(n.value),
            Ast::Array(array) => {
                let items = array.elements.iter().map(|e| self.build(e, depth + 1)).collect();
                Value::Array(items)
            }
            Ast::Object(object) => {
                let entries = object
                    .properties
                    .iter()
                    .map(|prop| {
                        let (name, range) = match &prop.name {
                            ObjectPropName::String(s) => {
                                self.check_string(s.range);
                                (s.value.to_string(), s.range)
                            }
                            ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                        };
                        let key = Key { name: name.into(), span: self.span(range), merge: false };
                        Entry { key, value: self.build(&prop.value, depth + 1) }
                    })
                    .collect();
                Value::Object(entries)
            }
        };
        self.doc.push(Node { value, span })
    }
}

impl Builder<'_> {
    /// RFC 8259 §7: control characters must be escaped inside strings. `jsonc-parser` lets raw
    /// ones through (a tab, a line break, a NUL), and the gateway's decoder refuses them.
    fn check_string(&mut self, range: jsonc_parser::common::Range) {
        if self.problem.is_some() {
            return;
        }
        let raw = self.body.as_bytes().get(range.start..range.end).unwrap_or_default();
        if let Some(at) = raw.iter().position(|&b| b < 0x20) {
            let start = range.start + at + self.base;
            self.problem = Some(LoadProblem {
                kind: ProblemKind::Syntax,
                message: format!("invalid JSON: unescaped control character U+{:04X} in a string", raw[at]),
                span: Span::new(start, start + 1),
                document: 0,
            });
        }
    }
}

/// JSON numbers: integers stay exact (saturating past `i128`); anything with a fraction or an
/// exponent is a float, which the gateway's integer fields refuse.
pub(super) fn number(text: &str) -> Value {
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        let magnitude = text.trim_start_matches('-');
        let value = magnitude.parse::<i128>().unwrap_or(i128::MAX);
        return Value::Int(if text.starts_with('-') { -value } else { value });
    }
    Value::Float(text.parse().unwrap_or(f64::NAN))
}
