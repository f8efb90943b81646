//! One file in, its findings out: load, pick the documents that are VPC channels, check them.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::document::{self, Deadline, Document, Limits, LineIndex, ProblemKind, Span, Syntax, Value};
use crate::engine::{Engine, Tally};
use crate::rules::{DocumentProblem, Severity};
use crate::{fingerprint, suppress};

/// What checking one file found. `text` is kept so renderers can show source and positions.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub text: String,
    /// Indices of the documents that were checked.
    pub documents: Vec<usize>,
    /// The file held no VPC channel and was skipped (only while walking directories).
    pub skipped: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings removed by suppressions (comments and `[[suppress]]` entries).
    pub suppressed: usize,
    /// The `[[suppress]]` entries (indices into the configuration's list) that removed something.
    pub used_entries: Vec<usize>,
}

impl FileReport {
    /// `(line, column)` of a byte offset of [`FileReport::text`] (a [`Diagnostic`]'s `span.start`),
    /// both 1-based; the column counts characters. Builds a line index on each call: for many
    /// positions, index the text once with the binary's `LineIndex`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        LineIndex::new(&self.text).position(&self.text, offset)
    }

    /// A report of `diagnostics` on `path` (taken as it is when given as a `String`), nothing
    /// checked, skipped or suppressed yet.
    pub fn new(path: impl Into<String>, text: String, diagnostics: Vec<Diagnostic>) -> Self {
        FileReport {
            path: path.into(),
            text,
            documents: Vec::new(),
            skipped: false,
            diagnostics,
            suppressed: 0,
            used_entries: Vec::new(),
        }
    }
}

/// What the configuration says about one file, its path globs already matched.
#[derive(Clone, Debug, Default)]
pub struct FilePolicy {
    /// Severity changes, later ones winning: findings of `rule` at or under `pointer` get
    /// `level` (`None`: dropped).
    pub levels: Vec<LevelChange>,
    /// `[[suppress]]` entries whose path matches this file.
    pub suppress: Vec<EntrySuppression>,
    /// Per-rule changes to fixes (`unfixable`, `extend-unsafe-fixes`, `extend-safe-fixes`):
    /// `None` drops a rule's fix, `Some` sets its applicability.
    pub fixes: Vec<(usize, Option<crate::fix::Applicability>)>,
}

#[derive(Clone, Debug)]
pub struct LevelChange {
    pub pointer: String,
    pub rule: usize,
    pub level: Option<Severity>,
}

#[derive(Clone, Debug)]
pub struct EntrySuppression {
    /// Index of the entry in the configuration.
    pub entry: usize,
    pub pointer: String,
    pub rule: usize,
}

/// Keys only a VPC-channel body has at its top level; one of them (or a near miss) marks a
/// document as a channel when it is sniffed. `name`, `port` and `members` alone are too common
/// elsewhere (a team list has `name` and `members`); `name` with `port` counts, and so does an
/// integer `type` (a `package.json` or a JSON Schema has a string `type`).
const SIGNATURE_KEYS: &[&str] = &[
    "balance_strategy",
    "member_type",
    "vpc_channel_type",
    "vpc_health_config",
    "member_groups",
    "microservice_info",
    "dict_code",
];

/// Does this document look like a VPC channel at all? A `package.json`, a CI workflow or a
/// Kubernetes manifest does not.
/// A top-level array of channel-like objects counts too (it is then reported as not an object,
/// rather than skipped).
pub(crate) fn is_channel(doc: &Document) -> bool {
    let Some(root) = doc.root() else { return false };
    match doc.value(root) {
        Value::Object(_) => looks_like_channel(doc, root),
        Value::Array(items) => items.iter().any(|&item| looks_like_channel(doc, item)),
        _ => false,
    }
}

fn looks_like_channel(doc: &Document, object: crate::document::NodeId) -> bool {
    if !matches!(doc.value(object), Value::Object(_)) {
        return false;
    }
    let entries = doc.entries(object);
    let has = |name: &str| entries.iter().any(|e| e.key.name == name);
    let integer_type = entries.iter().any(|e| e.key.name == "type" && matches!(doc.value(e.value), Value::Int(_)));
    // Exact keys first: a real channel has one, and string similarity is the costly part.
    entries.iter().any(|e| SIGNATURE_KEYS.contains(&e.key.name.as_str()))
        || integer_type
        || (has("name") && has("port"))
        || entries.iter().any(|e| SIGNATURE_KEYS.iter().any(|s| strsim::jaro_winkler(s, &e.key.name) >= 0.92))
}

/// Does the text name a key only a channel has, followed by a colon (`"balance_strategy":`,
/// `vpc_health_config:`)? A tolerant look at a file that does not parse.
fn mentions_channel_keys(text: &str) -> bool {
    SIGNATURE_KEYS.iter().any(|key| {
        text.match_indices(key).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + key.len()..].trim_start_matches(['"', '\'', ' ', '\t']);
            before.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_') && after.starts_with(':')
        })
    })
}

/// Could these bytes be UTF-16 (a byte order mark, or a zero in one of the first two bytes and
/// not the other)? Only such a file is decoded by [`sniffable`].
fn may_be_utf16(bytes: &[u8]) -> bool {
    matches!(bytes, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) || matches!(bytes, [a, b, ..] if (*a == 0) != (*b == 0))
}

/// The text to look for channel keys in: the loaded text, or for a UTF-16 file (which loads as
/// nothing) its decoding, so a channel saved as UTF-16 is reported rather than skipped.
fn sniffable<'t>(bytes: &[u8], text: &'t str) -> std::borrow::Cow<'t, str> {
    let units = |big_endian: bool, body: &[u8]| -> String {
        let words = body.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big_endian { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }
        });
        char::decode_utf16(words).map(|c| c.unwrap_or('\u{FFFD}')).collect()
    };
    if !text.is_empty() || !may_be_utf16(bytes) {
        return text.into();
    }
    match bytes {
        [0xFF, 0xFE, body @ ..] => units(false, body).into(),
        [0xFE, 0xFF, body @ ..] => units(true, body).into(),
        // No byte order mark: ASCII text in UTF-16 has a zero in every other byte.
        [first, ..] => units(*first == 0, bytes).into(),
        [] => text.into(),
    }
}

/// How a file is linted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'p> {
    /// Skip documents that are plainly not VPC channels (when walking directories).
    pub skip_foreign: bool,
    pub limits: Limits,
    /// The configuration's word on this file, if there is a configuration.
    pub policy: Option<&'p FilePolicy>,
    /// The syntax, when the path does not tell (standard input without a name).
    pub syntax: Option<Syntax>,
    /// Leave each finding's `value_hash` empty: for a caller that neither matches or writes
    /// baselines nor prints fingerprints (hashing the values was 2% of a run over many files).
    pub skip_value_hash: bool,
}

/// Lints one file's bytes. `path` decides the syntax (`.json` is JSON, anything else YAML).
/// With `skip_foreign`, documents that are plainly not VPC channels are not checked, and an empty
/// file or one with no channel at all is marked `skipped`. Bytes given by value (a `Vec<u8>`)
/// become the report's text without a copy, and so does a path given as a `String` the report's
/// path.
pub fn lint_bytes<'b>(
    engine: &Engine,
    path: impl Into<String>,
    bytes: impl Into<Cow<'b, [u8]>>,
    options: &Options,
) -> FileReport {
    lint_keeping_documents(engine, path, bytes, options).0
}

/// [`lint_bytes`], also returning the documents that parsed (their spans index into the report's
/// `text`), for callers that look at the tree afterwards: the language server's hover, go to
/// definition and outline, without parsing twice.
pub fn lint_keeping_documents<'b>(
    engine: &Engine,
    path: impl Into<String>,
    bytes: impl Into<Cow<'b, [u8]>>,
    options: &Options,
) -> (FileReport, Vec<Document>) {
    let path = path.into();
    let bytes = bytes.into();
    if bytes.len() as u64 > options.limits.max_file_size {
        return (oversized(engine, path, options.limits.max_file_size), Vec::new());
    }
    let deadline = Deadline::after(options.limits.time_budget);
    let syntax = options.syntax.unwrap_or_else(|| Syntax::from_path(&path));
    // The text is made of the bytes (taking them when given by value); a file that may be UTF-16,
    // which gives no text, keeps a copy of its bytes for the sniff below.
    let utf16 = (options.skip_foreign && may_be_utf16(&bytes)).then(|| bytes.to_vec());
    let mut loaded = document::load_until(bytes, syntax, options.limits, deadline);
    let mut diagnostics = Vec::new();
    let mut documents = Vec::new();
    let mut tally = Tally::new(options.limits.max_findings_per_rule, options.limits.max_findings);
    for doc in &loaded.documents {
        // The position in the stream, counting documents that did not parse.
        let index = doc.index;
        if options.skip_foreign && !is_channel(doc) {
            continue;
        }
        if deadline.expired() {
            if !loaded.problems.iter().any(|p| p.kind == ProblemKind::Time) {
                loaded.problems.push(deadline.problem(doc.start, index));
            }
            break;
        }
        documents.push(index);
        let source = crate::fix::Source { text: &loaded.text, syntax };
        let (mut found, complete) = engine.check_source(doc, index, deadline, &mut tally, Some(source));
        if !options.skip_value_hash {
            let mut resolver = fingerprint::Resolver::new(doc);
            for d in &mut found {
                d.value_hash = fingerprint::value_hash_in(&loaded.text, Some(&mut resolver), d);
            }
        }
        // The first document's findings are taken as they are, not copied into a new vector.
        if diagnostics.is_empty() {
            diagnostics = found;
        } else {
            diagnostics.extend(found);
        }
        if !complete {
            loaded.problems.push(deadline.problem(doc.start, index));
            break;
        }
    }
    // Not a channel: nothing checked, and nothing wrong but emptiness, or a file that does not
    // parse and shows no channel key either (a `.vscode/settings.json` with comments, a Helm
    // template). A broken file that mentions channel keys is still reported.
    let only_empty = loaded.problems.iter().all(|p| p.kind == ProblemKind::Empty);
    let skipped = options.skip_foreign
        && documents.is_empty()
        && (only_empty
            || (loaded.documents.is_empty()
                && !mentions_channel_keys(&sniffable(utf16.as_deref().unwrap_or_default(), &loaded.text))));
    if !skipped {
        diagnostics.extend(loaded.problems.iter().filter_map(|p| engine.problem(p)));
    }
    let mut report = FileReport { documents, skipped, ..FileReport::new(path, String::new(), diagnostics) };
    if let Some(policy) = options.policy {
        apply_levels(engine, &mut report.diagnostics, &policy.levels);
        for d in &mut report.diagnostics {
            for &(_, change) in policy.fixes.iter().filter(|(rule, _)| *rule == d.rule) {
                match change {
                    None => d.fix = None,
                    Some(applicability) => {
                        if let Some(fix) = &mut d.fix {
                            fix.applicability = applicability;
                        }
                    }
                }
            }
        }
    }
    apply_comment_suppressions(engine, &loaded, &mut report, &tally);
    if let Some(policy) = options.policy {
        apply_entry_suppressions(engine, &mut report, &policy.suppress);
    }
    if !options.skip_value_hash {
        for d in report.diagnostics.iter_mut().filter(|d| d.value_hash.is_empty()) {
            d.value_hash = fingerprint::value_hash(&loaded.text, None, d);
        }
    }
    crate::diagnostic::sort(&mut report.diagnostics);
    apply_caps(engine, &mut report.diagnostics, &tally, &options.limits);
    // Kept to the end of a run (the CLI renders every file's findings last), so as long as the
    // findings, not the four or eight places the vector grew to: over 2,000 files, 93 fewer page
    // faults (a first touch of a page takes about a microsecond on the benchmark's machine).
    report.diagnostics.shrink_to_fit();
    report.text = loaded.text;
    (report, loaded.documents)
}

/// The per-rule and per-file caps on findings, over everything a file reports (the checks were
/// already held to them as they ran; loading and suppression problems are counted here). What is
/// left out is said once per rule, and once for the file, by a `document-limit-exceeded` finding
/// at the first finding left out. `diagnostics` are sorted, so the first ones are kept.
fn apply_caps(engine: &Engine, diagnostics: &mut Vec<Diagnostic>, tally: &Tally, limits: &Limits) {
    // No rule can be over its cap with no more findings than that in all (nearly every file).
    let within = diagnostics.len() <= limits.max_findings_per_rule.min(limits.max_findings);
    if within && tally.file_overflow.is_none() && tally.rule_overflow.iter().all(Option::is_none) {
        return;
    }
    let mut overflow: Vec<Option<(usize, Span)>> = tally.rule_overflow.clone();
    overflow.resize(engine.rules.rules.len(), None);
    let mut counts = vec![0usize; engine.rules.rules.len()];
    diagnostics.retain(|d| {
        counts[d.rule] += 1;
        if counts[d.rule] <= limits.max_findings_per_rule {
            return true;
        }
        let first = overflow[d.rule].get_or_insert((d.document, d.span));
        // The first by position in the file, of those turned away here or while checking.
        if d.span.start < first.1.start {
            *first = (d.document, d.span);
        }
        false
    });
    let mut file_overflow = tally.file_overflow;
    if diagnostics.len() > limits.max_findings {
        let first = &diagnostics[limits.max_findings];
        file_overflow = Some((first.document, first.span));
        diagnostics.truncate(limits.max_findings);
    }
    let mut notes = Vec::new();
    for (rule, place) in overflow.iter().enumerate() {
        let Some((document, span)) = *place else { continue };
        let r = &engine.rules.rules[rule];
        let detail = format!(
            "more than {} `{}` ({}) findings in this file (--max-findings-per-rule), so the rest are not reported",
            limits.max_findings_per_rule, r.name, r.id
        );
        notes.extend(engine.finding(DocumentProblem::Limit, detail, Span::new(span.start, span.start), document));
    }
    if let Some((document, span)) = file_overflow {
        let detail = format!(
            "more than {} findings in this file (--max-findings), so the rest are not reported",
            limits.max_findings
        );
        notes.extend(engine.finding(DocumentProblem::Limit, detail, Span::new(span.start, span.start), document));
    }
    if !notes.is_empty() {
        for note in &mut notes {
            note.value_hash = fingerprint::value_hash(&note.message, None, note);
        }
        diagnostics.extend(notes);
        crate::diagnostic::sort(diagnostics);
    }
}

fn apply_levels(engine: &Engine, diagnostics: &mut Vec<Diagnostic>, changes: &[LevelChange]) {
    if changes.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| {
        if engine.is_mandatory(d.rule) {
            return true;
        }
        let mut level = Some(d.severity);
        for change in changes.iter().filter(|c| c.rule == d.rule && suppress::pointer_within(&d.pointer, &c.pointer)) {
            level = change.level;
        }
        level.inspect(|&severity| d.severity = severity).is_some()
    });
}

/// `# apig-lint: ignore …` comments: drop what they cover, report what is wrong with them.
fn apply_comment_suppressions(engine: &Engine, loaded: &document::Loaded, report: &mut FileReport, tally: &Tally) {
    if loaded.comments.is_empty() {
        return;
    }
    let index = LineIndex::new(&loaded.text);
    let (directives, mut problems) = suppress::directives(&loaded.text, &index, &loaded.comments, engine.rules);
    let (suppressed, unused) = suppress::apply(
        &directives,
        &mut report.diagnostics,
        &index,
        engine.rules,
        |rule| engine.is_enabled(rule),
        |rule| tally.rule_overflow.get(rule).is_some_and(Option::is_some) || tally.file_overflow.is_some(),
    );
    report.suppressed += suppressed;
    problems.extend(unused);
    for problem in problems {
        // The document a comment sits in: the last one that starts before it.
        let document =
            loaded.documents.iter().rev().find(|doc| doc.start <= problem.span.start).map_or(0, |doc| doc.index);
        report.diagnostics.extend(engine.finding(problem.kind, problem.detail, problem.span, document));
    }
}

/// `[[suppress]]` entries of the configuration: a rule at or under a pointer.
fn apply_entry_suppressions(engine: &Engine, report: &mut FileReport, entries: &[EntrySuppression]) {
    if entries.is_empty() {
        return;
    }
    let before = report.diagnostics.len();
    let mut used = Vec::new();
    report.diagnostics.retain(|d| {
        if engine.is_mandatory(d.rule) {
            return true;
        }
        let matched: Vec<usize> = entries
            .iter()
            .filter(|e| e.rule == d.rule && suppress::pointer_within(&d.pointer, &e.pointer))
            .map(|e| e.entry)
            .collect();
        used.extend(&matched);
        matched.is_empty()
    });
    used.sort_unstable();
    used.dedup();
    report.suppressed += before - report.diagnostics.len();
    report.used_entries = used;
}

/// The report for a file over the size limit, which is not read (so not shown either).
pub fn oversized(engine: &Engine, path: impl Into<String>, limit: u64) -> FileReport {
    let problem = document::LoadProblem {
        kind: ProblemKind::Limit,
        message: format!("the file is larger than {limit} bytes (--max-file-size), so it was not checked"),
        span: Span::new(0, 0),
        document: 0,
    };
    let diagnostics = engine.problem(&problem).into_iter().collect();
    FileReport::new(path, String::new(), diagnostics)
}

#[cfg(test)]
mod tests {
    /// A CLI run keeps every file's report to the end: a report holds its findings with no room
    /// to spare, whatever the vector grew to while they were found.
    #[test]
    fn a_report_holds_its_findings_without_spare_room() {
        let linter = crate::Linter::new().expect("the built-in rules load");
        let body = br#"{"name": "x", "port": 0, "balance_strategy": 1, "member_type": "ip"}"#;
        let report = linter.lint_bytes("channel.json", body);
        // Three findings, which a vector makes room for four of.
        assert_eq!(report.diagnostics.len(), 3);
        assert_eq!(report.diagnostics.capacity(), 3);
    }
}
