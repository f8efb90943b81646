//! Fixes as data, and the one applier.
//!
//! A rule's file declares its fix (`[fix]`: a kind of the closed set [`FixKind`], an
//! [`Applicability`] and a message). The engine turns what a check found into a `Proposal` and
//! then into byte edits of the file, computed from the loader's spans: an edit touches only the
//! bytes it must, so indentation, key order, quoting, comments, blank lines, CRLF and the BOM of
//! everything else survive as they were. [`fix_bytes`] applies them: sort, skip overlapping fixes,
//! apply, re-lint, repeat until nothing changes (at most `MAX_ROUNDS`, 8, rounds), and never return
//! a result that parses worse than the input. The library never prints or writes files.

use crate::diagnostic::Diagnostic;
use crate::document::{Document, NodeId, Span, Syntax, Value};
use crate::engine::Engine;
use crate::lint::{FileReport, Options, lint_bytes};
pub use crate::rules::{Applicability, FixDef, FixKind, ValueMap};
use crate::rules::{DocumentProblem, Literal};

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `replacement` (an empty span inserts, an empty replacement
/// deletes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A diagnostic's fix: all of its edits are applied, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl FixDef {
    /// The message template in `lang` (English where a translation is missing).
    pub(crate) fn message_in(&self, lang: crate::Lang) -> &str {
        lang.translated(&self.message, self.message_zh.as_deref())
    }
}

/// A value to write.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NewValue {
    Int(i128),
    Bool(bool),
    Str(String),
    /// Source text written as it is (a YAML spelling the loader computed).
    Raw(String),
}

impl From<&Literal> for NewValue {
    fn from(literal: &Literal) -> Self {
        match literal {
            Literal::Int(i) => NewValue::Int(i128::from(*i)),
            Literal::Bool(b) => NewValue::Bool(*b),
            Literal::Str(s) => NewValue::Str(s.to_string()),
        }
    }
}

/// What a check proposes, in terms of the document tree; [`build`] turns it into edits. Objects
/// and arrays are the nodes as written (not reached through an alias), entries their own.
#[derive(Clone, Debug)]
pub(crate) enum Proposal {
    ReplaceValue { node: NodeId, value: NewValue },
    RemoveEntry { object: NodeId, index: usize },
    RemoveItem { array: NodeId, index: usize },
    RenameKey { object: NodeId, index: usize, to: String },
    SetKey { object: NodeId, index: usize, key: String, value: NewValue },
}

impl Proposal {
    pub fn kind(&self) -> FixKind {
        match self {
            Proposal::ReplaceValue { .. } => FixKind::ReplaceValue,
            Proposal::RemoveEntry { .. } => FixKind::RemoveEntry,
            Proposal::RemoveItem { .. } => FixKind::RemoveItem,
            Proposal::RenameKey { .. } => FixKind::RenameKey,
            Proposal::SetKey { .. } => FixKind::SetKey,
        }
    }
}

/// The text of the file being checked, for computing edits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Source<'t> {
    pub text: &'t str,
    pub syntax: Syntax,
}

/// The edits of a proposal and the text they write (for the message's `{replacement}`), or
/// `None` when the source is not in a shape the fix handles (then the finding has no fix).
pub(crate) fn build(proposal: &Proposal, doc: &Document, src: Source) -> Option<(Vec<Edit>, String)> {
    let text = src.text;
    match proposal {
        Proposal::ReplaceValue { node, value } => {
            let span = doc.node(*node).span;
            let old = text.get(span.start..span.end)?;
            if span.is_empty() {
                return None;
            }
            let new = render_value(value, old, src.syntax)?;
            Some((vec![Edit { span, replacement: new.clone() }], new))
        }
        Proposal::RemoveEntry { object, index } => {
            let edit = remove_entry(doc, text, *object, *index)?;
            Some((vec![edit], String::new()))
        }
        Proposal::RemoveItem { array, index } => {
            let edit = remove_item(doc, text, *array, *index)?;
            Some((vec![edit], String::new()))
        }
        Proposal::RenameKey { object, index, to } => {
            let key = own_entry(doc, *object, *index)?.key.span;
            let old = text.get(key.start..key.end)?;
            let new = render_key(to, old)?;
            Some((vec![Edit { span: key, replacement: new }], to.clone()))
        }
        Proposal::SetKey { object, index, key, value } => {
            let entry = own_entry(doc, *object, *index)?;
            let key_span = entry.key.span;
            let value_span = doc.node(entry.value).span;
            if value_span.is_empty() || value_span.start < key_span.end {
                return None;
            }
            let new_key = render_key(key, text.get(key_span.start..key_span.end)?)?;
            let new_value = render_value(value, text.get(value_span.start..value_span.end)?, src.syntax)?;
            let shown = format!("{key}: {}", render_value(value, "", Syntax::Yaml).unwrap_or_default());
            Some((
                vec![Edit { span: key_span, replacement: new_key }, Edit { span: value_span, replacement: new_value }],
                shown,
            ))
        }
    }
}

fn own_entry(doc: &Document, object: NodeId, index: usize) -> Option<&crate::document::Entry> {
    match &doc.nodes().get(object)?.value {
        Value::Object(entries) => entries.get(index),
        _ => None,
    }
}

/// A key's new text in the quoting of the old one.
fn render_key(name: &str, old: &str) -> Option<String> {
    if old.starts_with('"') {
        serde_json::to_string(name).ok()
    } else if old.starts_with('\'') {
        Some(format!("'{}'", name.replace('\'', "''")))
    } else if is_plain_safe(name) {
        Some(name.to_owned())
    } else {
        serde_json::to_string(name).ok()
    }
}

/// A value's new text: a string keeps the old quoting where it can (JSON always double quotes).
fn render_value(value: &NewValue, old: &str, syntax: Syntax) -> Option<String> {
    Some(match value {
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        NewValue::Raw(text) => text.clone(),
        NewValue::Str(s) => {
            if old.starts_with('\'') && syntax == Syntax::Yaml {
                format!("'{}'", s.replace('\'', "''"))
            } else if syntax == Syntax::Yaml && !old.starts_with('"') && is_plain_safe(s) {
                s.clone()
            } else {
                serde_json::to_string(s).ok()?
            }
        }
    })
}

/// Can `s` be written as a plain YAML scalar anywhere (block or flow) and read back as that
/// string, also by YAML 1.1 tools?
fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && crate::document::reads_as_plain_string(s)
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// Past the end of the line holding `at` (its `\n` included), if the rest of the line is only
/// blanks or a comment.
fn line_end_if_blank(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let (line, next) = match rest.find('\n') {
        Some(i) => (&rest[..i], at + i + 1),
        None => (rest, text.len()),
    };
    let trimmed = line.trim_start_matches([' ', '\t']).trim_end_matches('\r');
    (trimmed.is_empty() || trimmed.starts_with('#')).then_some(next)
}

/// Moves `start` (a line start) up over the comment-only lines right above it that are indented
/// as `indent`: the entry's own comments.
fn own_comments_above(text: &str, mut start: usize, indent: &str) -> usize {
    while start > 0 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start].trim_end_matches(['\n', '\r']);
        let Some(rest) = line.strip_prefix(indent) else { break };
        if !rest.starts_with('#') {
            break;
        }
        start = prev;
    }
    start
}

/// Removes item `index` of a flow collection (JSON, or YAML `{…}`/`[…]`) whose items span
/// `items`: with the comma after it, or for the last item the comma before it.
fn remove_flow(container: Span, items: &[Span], index: usize) -> Option<Edit> {
    let this = *items.get(index)?;
    let span = if items.len() == 1 {
        Span::new(container.start + 1, container.end.checked_sub(1)?)
    } else if let Some(next) = items.get(index + 1) {
        Span::new(this.start, next.start)
    } else {
        Span::new(items.get(index.checked_sub(1)?)?.end, this.end)
    };
    Some(Edit { span, replacement: String::new() })
}

/// Removes the block-collection item at `start..end` (its lines, with its own comments). `prefix`
/// is what precedes `start` on its line; `next` is where the following item starts; `only` says
/// it is the collection's only item (then it becomes `empty`, so the value keeps its type).
fn remove_block(text: &str, start: usize, end: usize, next: Option<usize>, only: bool, empty: &str) -> Option<Edit> {
    if only {
        return Some(Edit { span: Span::new(start, end), replacement: empty.to_owned() });
    }
    let line = line_start(text, start);
    let prefix = text.get(line..start)?;
    if prefix.bytes().all(|b| b == b' ') {
        let from = own_comments_above(text, line, prefix);
        let to = line_end_if_blank(text, end)?;
        return Some(Edit { span: Span::new(from, to), replacement: String::new() });
    }
    // `- key: value` with more entries below: the next entry moves up behind the dash.
    if prefix.trim_start_matches(' ').starts_with('-') && prefix.trim_start_matches([' ', '-']).is_empty() {
        return Some(Edit { span: Span::new(start, next?), replacement: String::new() });
    }
    None
}

fn is_flow(text: &str, span: Span, open: char) -> bool {
    text.get(span.start..).is_some_and(|t| t.starts_with(open))
}

fn remove_entry(doc: &Document, text: &str, object: NodeId, index: usize) -> Option<Edit> {
    let node = doc.nodes().get(object)?;
    let Value::Object(entries) = &node.value else { return None };
    let entry = entries.get(index)?;
    let end_of = |e: &crate::document::Entry| {
        let value = doc.node(e.value).span;
        if value.is_empty() || value.end < e.key.span.end { e.key.span.end } else { value.end }
    };
    if is_flow(text, node.span, '{') {
        let items: Vec<Span> = entries.iter().map(|e| Span::new(e.key.span.start, end_of(e))).collect();
        return remove_flow(node.span, &items, index);
    }
    let next = entries.get(index + 1).map(|e| e.key.span.start);
    remove_block(text, entry.key.span.start, end_of(entry), next, entries.len() == 1, "{}")
}

fn remove_item(doc: &Document, text: &str, array: NodeId, index: usize) -> Option<Edit> {
    let node = doc.nodes().get(array)?;
    let Value::Array(items) = &node.value else { return None };
    let spans: Vec<Span> = items.iter().map(|&i| doc.node(i).span).collect();
    if is_flow(text, node.span, '[') {
        return remove_flow(node.span, &spans, index);
    }
    // A block item starts after its `- `: remove from the dash.
    let item = *spans.get(index)?;
    let before = text.get(..item.start)?;
    let dash = before.trim_end_matches(' ').strip_suffix('-').map(str::len)?;
    if item.is_empty() {
        return None;
    }
    let line = line_start(text, dash);
    if !text.get(line..dash)?.bytes().all(|b| b == b' ') {
        return None;
    }
    remove_block(text, dash, item.end, None, items.len() == 1, "[]")
}

/// Every fix of a report's findings that `allowed` accepts, applied to `text` in one pass:
/// fixes sorted by position, a fix whose edits overlap one already taken is left for the next
/// round. Returns the new text and how many fixes were applied.
pub fn apply<'d>(text: &str, fixes: impl IntoIterator<Item = &'d Fix>) -> (String, usize) {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let overlaps = |a: &Edit, b: &Edit| {
        a.span.start < b.span.end && b.span.start < a.span.end
            || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
    };
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| e.span.end <= text.len() && text.is_char_boundary(e.span.start))
            && fix.edits.iter().all(|e| text.is_char_boundary(e.span.end))
            && !fix.edits.iter().any(|e| taken.iter().any(|t| overlaps(e, t)))
            && !fix.edits.iter().enumerate().any(|(i, e)| fix.edits[i + 1..].iter().any(|o| overlaps(e, o)));
        // The same fix reported twice (two findings, one edit) is applied once.
        if fits {
            taken.extend(&fix.edits);
            applied += 1;
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Most rounds of fix and re-lint before giving up on a fixpoint.
pub(crate) const MAX_ROUNDS: usize = 8;

/// Which fixes a run applies.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixMode {
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl FixMode {
    pub fn takes(&self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// What fixing one file came to.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text (the original when nothing was fixed or the fixes were refused).
    pub text: String,
    /// Did the text change?
    pub changed: bool,
    /// The findings of the fixed text.
    pub report: FileReport,
    /// How many findings the applied fixes fixed.
    pub applied: usize,
    /// Why the fixes were not applied, or were applied only in part.
    pub problem: Option<String>,
}

/// Lints `bytes` and applies the fixes `mode` takes until nothing changes. A round whose result
/// parses worse than its input (more syntax or encoding findings, or another number of
/// documents) is refused: the file is returned as it was, with the reason. Fixing the result
/// again changes nothing (unless the rounds ran out, which `problem` says).
pub fn fix_bytes(engine: &Engine, path: &str, bytes: &[u8], options: &Options, mode: FixMode) -> Fixed {
    let first = lint_bytes(engine, path, bytes, options);
    let fixable = |r: &FileReport| r.diagnostics.iter().any(|d| d.fix.as_ref().is_some_and(|f| mode.takes(f)));
    let unchanged = |report: FileReport, problem: Option<String>| Fixed {
        text: report.text.clone(),
        changed: false,
        report,
        applied: 0,
        problem,
    };
    if !fixable(&first) {
        return unchanged(first, None);
    }
    // Spans index the decoded text; only UTF-8 input is written back byte for byte.
    if std::str::from_utf8(bytes).ok() != Some(first.text.as_str()) {
        return unchanged(first, Some(format!("{path} is not UTF-8 text, so it was not fixed")));
    }
    let broken = |r: &FileReport| {
        r.diagnostics.iter().filter(|d| is_parse_problem(engine, d)).count() + usize::from(r.documents.is_empty())
    };
    let mut report = first;
    let original = report.text.clone();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let fixes = report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| mode.takes(f));
        let (text, count) = apply(&report.text, fixes);
        if count == 0 || text == report.text {
            break;
        }
        let next = lint_bytes(engine, path, text.as_bytes(), options);
        if broken(&next) > broken(&report) || next.documents.len() != report.documents.len() {
            let reason = format!(
                "fixing {path} would leave it unparsable or change its documents, so it was left as it was (please report this)"
            );
            let original_report = lint_bytes(engine, path, original.as_bytes(), options);
            return unchanged(original_report, Some(reason));
        }
        applied += count;
        report = next;
    }
    let problem = fixable(&report).then(|| {
        format!("fixes to {path} did not settle after {MAX_ROUNDS} rounds; run again, and please report this")
    });
    let changed = report.text != original;
    Fixed { text: report.text.clone(), changed, report, applied, problem }
}

/// Is this a finding that the file (or a document) does not parse?
fn is_parse_problem(engine: &Engine, d: &Diagnostic) -> bool {
    [DocumentProblem::Syntax, DocumentProblem::Encoding]
        .into_iter()
        .any(|p| engine.rules.document_rule(p) == Some(d.rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            message: String::new(),
            edits: vec![Edit { span: Span::new(start, end), replacement: replacement.into() }],
        }
    }

    #[test]
    fn apply_sorts_and_skips_overlaps() {
        let fixes = [edit(4, 5, "X"), edit(0, 1, "A"), edit(0, 2, "B"), edit(9, 99, "out of range")];
        let (text, applied) = apply("abcdefg", &fixes);
        assert_eq!((text.as_str(), applied), ("AbcdXfg", 2));
    }
}
