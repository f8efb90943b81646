//! Runs the rules over loaded documents and returns diagnostics. No IO.

mod charset;
mod checks;
mod context;
pub mod formats;
pub mod message;
mod pointer;
mod schema;

use crate::diagnostic::{Diagnostic, Related};
use crate::document::{Deadline, Document, LoadProblem, ProblemKind, Span, Value};
use crate::fix::{NewValue, Proposal, Source};
use crate::rules::{Constraint, DocumentProblem, RuleSet, Severity};
use context::Ctx;
use pointer::{Pointer, Token};
use smallvec::SmallVec;
use std::collections::HashMap;

/// Which rules run, and at what severity.
#[derive(Clone, Debug)]
pub struct Engine<'r> {
    pub rules: &'r RuleSet,
    enabled: Vec<bool>,
    severity: Vec<Severity>,
    /// The language messages and help are written in.
    pub lang: crate::Lang,
}

impl<'r> Engine<'r> {
    /// Every rule at its default severity.
    pub fn new(rules: &'r RuleSet) -> Self {
        Engine {
            rules,
            enabled: vec![true; rules.rules.len()],
            severity: rules.rules.iter().map(|r| r.severity).collect(),
            lang: crate::Lang::En,
        }
    }

    /// Writes messages and help in `lang`.
    pub fn with_lang(mut self, lang: crate::Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Sets rules' severities; `None` switches a rule off. The rules that say a file was not
    /// checked ([`Engine::is_mandatory`]) keep their default.
    pub fn with_levels(mut self, levels: &[(usize, Option<Severity>)]) -> Self {
        for &(rule, level) in levels {
            if self.is_mandatory(rule) {
                continue;
            }
            match level {
                Some(severity) => self.severity[rule] = severity,
                None => self.enabled[rule] = false,
            }
        }
        self
    }

    /// Keeps only the rules named in `select` (all if empty), less those in `ignore`.
    /// Unknown names are returned as an error, and so is ignoring a mandatory rule; `select`
    /// leaves the mandatory rules on (a file that was not checked is never a pass).
    pub fn with_selection(mut self, select: &[String], ignore: &[String]) -> Result<Self, String> {
        let find = |name: &String| self.rules.find(name).ok_or_else(|| format!("unknown rule `{name}`"));
        if !select.is_empty() {
            self.enabled = (0..self.rules.rules.len()).map(|rule| self.is_mandatory(rule)).collect();
            for name in select {
                self.enabled[find(name)?] = true;
            }
        }
        for name in ignore {
            let index = find(name)?;
            if self.is_mandatory(index) {
                return Err(mandatory_message(self.rules, index));
            }
            self.enabled[index] = false;
        }
        Ok(self)
    }

    pub(crate) fn is_enabled(&self, rule: usize) -> bool {
        self.enabled.get(rule).copied().unwrap_or(false)
    }

    /// Does this rule say that a file (or document) was not checked: a syntax error, an encoding
    /// error, an empty file or a limit? Such findings are always reported, at their default
    /// severity, and cannot be switched off, suppressed or baselined: otherwise a broken file
    /// passes silently.
    pub fn is_mandatory(&self, rule: usize) -> bool {
        self.rules.is_mandatory(rule)
    }

    /// Turns a loading problem into a diagnostic.
    pub fn problem(&self, problem: &LoadProblem) -> Option<Diagnostic> {
        let kind = match problem.kind {
            ProblemKind::Syntax => DocumentProblem::Syntax,
            ProblemKind::Encoding => DocumentProblem::Encoding,
            ProblemKind::Limit | ProblemKind::Time => DocumentProblem::Limit,
            ProblemKind::Empty => DocumentProblem::Empty,
        };
        self.finding(kind, problem.message.clone(), problem.span, problem.document)
    }

    /// A finding of a document-level rule (`{detail}` filled), if that rule is enabled.
    pub fn finding(&self, problem: DocumentProblem, detail: String, span: Span, document: usize) -> Option<Diagnostic> {
        let mut sink = Sink::new(self, document);
        sink.document(problem, detail, Place::new(String::new(), span));
        sink.diagnostics.pop()
    }

    /// Checks one document.
    pub fn check(&self, doc: &Document, index: usize) -> Vec<Diagnostic> {
        self.check_until(doc, index, Deadline::never()).0
    }

    /// Checks one document, giving up between rules once `deadline` has passed; the flag says
    /// whether every rule ran.
    pub(crate) fn check_until(&self, doc: &Document, index: usize, deadline: Deadline) -> (Vec<Diagnostic>, bool) {
        self.check_capped(doc, index, deadline, &mut Tally::unlimited())
    }

    /// [`Engine::check_until`], keeping at most as many findings as `tally` still admits (it
    /// counts across the documents of a file, and remembers what it turned away).
    pub(crate) fn check_capped(
        &self,
        doc: &Document,
        index: usize,
        deadline: Deadline,
        tally: &mut Tally,
    ) -> (Vec<Diagnostic>, bool) {
        self.check_source(doc, index, deadline, tally, None)
    }

    /// [`Engine::check_capped`] with the file's text, so that findings carry their fixes.
    pub(crate) fn check_source(
        &self,
        doc: &Document,
        index: usize,
        deadline: Deadline,
        tally: &mut Tally,
        source: Option<Source>,
    ) -> (Vec<Diagnostic>, bool) {
        let mut sink = Sink::new(self, index);
        sink.tally = Some(tally);
        sink.fixing = source.map(|src| (doc, src));
        let Some(root) = doc.root() else {
            return (sink.diagnostics, true);
        };
        match doc.value(root) {
            Value::Object(_) => {}
            Value::Null => {
                let span = Span::new(doc.start, doc.node(root).span.end.max(doc.start));
                let empty = self.lang.pick("the document is empty", "文档为空").to_owned();
                sink.document(DocumentProblem::Empty, empty, Place::new(String::new(), span));
                return (sink.diagnostics, true);
            }
            other => {
                let detail = match self.lang {
                    crate::Lang::En => {
                        format!("the document is {}, not an object", message::type_name(other, self.lang))
                    }
                    crate::Lang::ZhCn => format!("文档是{}，不是对象", message::type_name(other, self.lang)),
                };
                sink.document(DocumentProblem::TopLevel, detail, Place::new(String::new(), doc.head_span(root)));
                return (sink.diagnostics, true);
            }
        }
        document_walk(doc, root, &mut sink);
        let ctx = Ctx::new(doc, self.rules, root, self.lang);
        schema::check(&ctx, &mut sink);
        let complete = self.cross_field(&ctx, &mut sink, deadline);
        crate::diagnostic::sort(&mut sink.diagnostics);
        (sink.diagnostics, complete)
    }
}

impl Engine<'_> {
    /// Runs the enabled cross-field rules, giving up once `deadline` has passed (between the
    /// whole-document rules, and between the objects the per-object rules check); says whether
    /// every rule ran. Per-object rules run by plan: each scope is located once and each object
    /// it selects is checked by all the rules of that scope. Findings are sorted afterwards, and
    /// each rule still meets the objects in document order, so the report is the same as rule by
    /// rule.
    fn cross_field<'a>(&self, ctx: &Ctx<'a>, sink: &mut Sink, deadline: Deadline) -> bool {
        let mut clock = Paced { deadline, owed: 0 };
        let whole = ctx.doc.node(ctx.root).span.len();
        for &index in self.rules.whole.iter().filter(|&&r| self.enabled[r]) {
            if clock.expired(whole) {
                return false;
            }
            checks::run(ctx, sink, index, &self.rules.rules[index].check);
        }
        for plan in &self.rules.plans {
            if !plan.rules.iter().any(|&r| self.enabled[r]) {
                continue;
            }
            for loc in ctx.select(&plan.scope) {
                // An object's rules are bounded by its size (an alias's by its anchor's).
                if clock.expired(ctx.doc.node(loc.id).span.len()) {
                    return false;
                }
                for &rule in plan.rules.iter().filter(|&&r| self.enabled[r]) {
                    checks::run_at(ctx, sink, rule, &self.rules.rules[rule].check, &loc);
                }
            }
        }
        true
    }
}

/// A deadline read once per `CLOCK_EVERY` bytes of work instead of before every piece of it: a
/// clock read costs as much as checking a small object, and a channel file of a few kilobytes
/// now reads it once or twice instead of about ten times. The work is the size of the text a rule
/// goes over, so between two reads of the clock at most `CLOCK_EVERY` bytes are checked (or one
/// piece of work larger than that, read for just before it).
struct Paced {
    deadline: Deadline,
    /// Work done since the clock was last read.
    owed: usize,
}

const CLOCK_EVERY: usize = 4096;

impl Paced {
    /// Has the deadline passed, `work` bytes being about to be checked?
    fn expired(&mut self, work: usize) -> bool {
        self.owed = self.owed.saturating_add(work);
        if self.owed < CLOCK_EVERY {
            return false;
        }
        self.owed = 0;
        self.deadline.expired()
    }
}

/// Reports every key defined twice in one object, and every plain YAML scalar that YAML 1.1 tools
/// read differently, anywhere in the document (aliases are not followed: each node is visited
/// once, where it is written).
///
/// A depth-first walk in document order without recursion: `open` holds the containers being
/// walked and `path` the tokens that lead to the current node, so memory follows the depth of the
/// input, not its size, and a pointer is made only for a finding.
fn document_walk(doc: &Document, root: usize, sink: &mut Sink) {
    let ambiguous: HashMap<usize, &crate::document::Ambiguity> = doc.ambiguous.iter().map(|(id, a)| (*id, a)).collect();
    // (container, index of its next child to visit)
    // Held inline as deep as a channel goes.
    let mut open: SmallVec<[(usize, usize); 8]> = SmallVec::new();
    let mut path: SmallVec<[Token; 8]> = SmallVec::new();
    let mut next = Some(root);
    loop {
        if let Some(id) = next.take() {
            if let Some(ambiguity) = ambiguous.get(&id) {
                ambiguous_scalar(doc, sink, id, ambiguity, &path);
            }
            match &doc.node(id).value {
                Value::Object(entries) => {
                    duplicate_keys(sink, id, entries, &path);
                    open.push((id, 0));
                }
                Value::Array(_) => open.push((id, 0)),
                _ => {
                    path.pop();
                }
            }
        }
        let Some((container, at)) = open.last_mut() else { break };
        let child = match &doc.node(*container).value {
            Value::Object(entries) => entries.get(*at).map(|e| (e.value, Token::Key(&e.key.name))),
            Value::Array(items) => items.get(*at).map(|&item| (item, Token::Index(*at))),
            _ => None,
        };
        *at += 1;
        match child {
            Some((child, token)) => {
                path.push(token);
                next = Some(child);
            }
            None => {
                open.pop();
                path.pop();
            }
        }
    }
}

fn ambiguous_scalar(
    doc: &Document,
    sink: &mut Sink,
    id: usize,
    ambiguity: &crate::document::Ambiguity,
    path: &[Token],
) {
    let lang = sink.engine.lang;
    let vars = [
        ("value", message::show(doc, lang, id)),
        ("yaml11", lang.pick(&ambiguity.yaml11, &ambiguity.yaml11_zh).to_owned()),
        ("spelling", lang.pick(&ambiguity.spelling, &ambiguity.spelling_zh).to_owned()),
    ];
    if let Some(rule) = sink.engine.rules.document_rule(DocumentProblem::AmbiguousScalar) {
        let fix = Proposal::ReplaceValue { node: id, value: NewValue::Raw(ambiguity.fixed.clone()) };
        let pointer = Pointer::from_tokens(path.iter().copied()).render();
        sink.emit(rule, &vars, Place::new(pointer, doc.node(id).span).fixing(fix));
    }
}

/// Objects with more entries than this get hash maps to find earlier occurrences of a key; smaller
/// ones (nearly all) are scanned.
const SCAN_LIMIT: usize = 16;

/// Reports each key of `entries` (the object `id`, at `path`) that an earlier entry already
/// defines. Several `<<` merge keys are a YAML idiom, not a duplicate. For each name, `seen` holds
/// the first and the latest entry so far.
fn duplicate_keys(sink: &mut Sink, id: usize, entries: &[crate::document::Entry], path: &[Token]) {
    let mut seen: Option<HashMap<&str, (usize, usize)>> = (entries.len() > SCAN_LIMIT).then(HashMap::new);
    for (i, entry) in entries.iter().enumerate() {
        if entry.key.merge {
            continue;
        }
        let name = entry.key.name.as_str();
        let earlier = match &mut seen {
            Some(seen) => {
                let found = seen.get(name).copied();
                seen.insert(name, (found.map_or(i, |(first, _)| first), i));
                found
            }
            None => {
                let before = &entries[..i];
                let same = |e: &crate::document::Entry| crate::document::same_name(&e.key.name, name) && !e.key.merge;
                let first = before.iter().position(same);
                first.map(|first| (first, before.iter().rposition(same).unwrap_or(first)))
            }
        };
        let Some((first, previous)) = earlier else { continue };
        let text = Pointer::from_tokens(path.iter().copied().chain([Token::Key(name)])).render();
        let first_label = Related {
            message: sink.engine.lang.pick("first defined here", "首次定义于此").into(),
            pointer: text.clone(),
            span: entries[first].key.span,
        };
        // Its fix removes the occurrence before this one (the gateway keeps the last).
        let fix = Proposal::RemoveEntry { object: id, index: previous };
        let place = Place::new(text, entry.key.span).with(vec![first_label]).fixing(fix);
        sink.document(DocumentProblem::DuplicateKey, entry.key.name.to_string(), place);
    }
}

/// Where a finding goes: its pointer, its primary span, and its secondary labels.
pub(crate) struct Place {
    pub pointer: String,
    pub span: Span,
    pub related: Vec<Related>,
    /// What the check proposes as a fix; used when the rule declares a fix of that kind.
    pub fix: Option<Proposal>,
}

impl Place {
    pub fn new(pointer: String, span: Span) -> Self {
        Place { pointer, span, related: Vec::new(), fix: None }
    }
    /// Attaches a proposed fix.
    pub fn fixing(mut self, fix: Proposal) -> Self {
        self.fix = Some(fix);
        self
    }
    /// Adds secondary labels (before any alias label already there).
    pub fn with(mut self, mut related: Vec<Related>) -> Self {
        related.append(&mut self.related);
        self.related = related;
        self
    }
}

/// How many findings a file may still report, per rule and in all, and where the first one
/// turned away was: a file with five million findings must not hold five million in memory.
#[derive(Clone, Debug)]
pub struct Tally {
    per_rule: usize,
    per_file: usize,
    counts: Vec<usize>,
    total: usize,
    /// For each rule that hit its cap: the document and place of its first finding left out.
    pub rule_overflow: Vec<Option<(usize, Span)>>,
    /// The same for the per-file cap.
    pub file_overflow: Option<(usize, Span)>,
}

impl Tally {
    pub fn new(per_rule: usize, per_file: usize) -> Self {
        Tally { per_rule, per_file, counts: Vec::new(), total: 0, rule_overflow: Vec::new(), file_overflow: None }
    }

    pub(crate) fn unlimited() -> Self {
        Tally::new(usize::MAX, usize::MAX)
    }

    /// Counts one more finding of `rule`, if it is admitted.
    fn admit(&mut self, rule: usize, document: usize, span: Span) -> bool {
        if self.counts.len() <= rule {
            self.counts.resize(rule + 1, 0);
            self.rule_overflow.resize(rule + 1, None);
        }
        if self.counts[rule] >= self.per_rule {
            self.rule_overflow[rule].get_or_insert((document, span));
            return false;
        }
        if self.total >= self.per_file {
            self.file_overflow.get_or_insert((document, span));
            return false;
        }
        self.counts[rule] += 1;
        self.total += 1;
        true
    }
}

/// The error for `--ignore` (or a configuration) naming a mandatory rule.
pub(crate) fn mandatory_message(rules: &RuleSet, rule: usize) -> String {
    let r = &rules.rules[rule];
    format!(
        "`{}` ({}) cannot be switched off, re-levelled or suppressed: it means a file was not checked",
        r.id, r.name
    )
}

/// Collects diagnostics, filling each rule's templates and applying selection and severity.
pub(crate) struct Sink<'e> {
    engine: &'e Engine<'e>,
    document: usize,
    pub diagnostics: Vec<Diagnostic>,
    tally: Option<&'e mut Tally>,
    /// The document and its file's text, when fixes are computed.
    fixing: Option<(&'e Document, Source<'e>)>,
}

impl<'e> Sink<'e> {
    fn new(engine: &'e Engine<'e>, document: usize) -> Self {
        Sink { engine, document, diagnostics: Vec::new(), tally: None, fixing: None }
    }

    pub fn emit(&mut self, rule: usize, vars: &[(&str, String)], place: Place) {
        if !self.engine.is_enabled(rule) {
            return;
        }
        if let Some(tally) = self.tally.as_deref_mut()
            && !tally.admit(rule, self.document, place.span)
        {
            return;
        }
        let def = &self.engine.rules.rules[rule];
        // Keys, values and parser messages come from the file: control, bidi and invisible
        // characters in them must not reach a terminal or a review UI as they are.
        let vars: Vec<(&str, std::borrow::Cow<str>)> =
            vars.iter().map(|(name, value)| (*name, crate::escape::text(value))).collect();
        let mut related = place.related;
        for r in &mut related {
            if let std::borrow::Cow::Owned(escaped) = crate::escape::text(&r.message) {
                r.message = escaped;
            }
        }
        let fix = match (&def.fix, &place.fix, self.fixing) {
            (Some(declared), Some(proposal), Some((doc, src))) if declared.kind == proposal.kind() => {
                crate::fix::build(proposal, doc, src).map(|(edits, replacement)| {
                    let mut vars = vars.clone();
                    vars.push(("replacement", crate::escape::text(&replacement).into_owned().into()));
                    crate::fix::Fix {
                        applicability: declared.applicability,
                        message: message::fill(declared.message_in(self.engine.lang), &vars),
                        edits,
                    }
                })
            }
            _ => None,
        };
        self.diagnostics.push(Diagnostic {
            rule,
            fix,
            severity: self.engine.severity[rule],
            message: message::fill(def.text(self.engine.lang).message, &vars),
            help: message::fill(def.text(self.engine.lang).help, &vars),
            document: self.document,
            pointer: place.pointer,
            span: place.span,
            related,
            value_hash: String::new(),
        });
    }

    pub fn schema(&mut self, constraint: Constraint, vars: &[(&str, String)], place: Place) {
        if let Some(rule) = self.engine.rules.schema_rule(constraint) {
            self.emit(rule, vars, place);
        }
    }

    fn document(&mut self, problem: DocumentProblem, detail: String, place: Place) {
        if let Some(rule) = self.engine.rules.document_rule(problem) {
            let hint = syntax_hint(&detail, self.engine.lang).to_owned();
            let detail = crate::lang::localize_detail(&detail, self.engine.lang);
            self.emit(rule, &[("detail", detail), ("hint", hint)], place);
        }
    }
}

/// Help that fits the syntax a parse error is about.
fn syntax_hint(detail: &str, lang: crate::Lang) -> &'static str {
    if detail.starts_with("invalid JSON") {
        lang.pick(
            "fix the syntax at this position; JSON files must be strict JSON (no comments, no trailing commas)",
            "修正此处的语法；JSON 文件必须是严格的 JSON（不能有注释，不能有多余的逗号）",
        )
    } else if detail.contains("tab") {
        lang.pick("YAML forbids tabs for indentation: indent with spaces", "YAML 不允许用制表符缩进：请改用空格")
    } else {
        lang.pick(
            "fix the YAML at this position: check its indentation, quotes and brackets",
            "修正此处的 YAML：检查缩进、引号和括号",
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::document::{Limits, Syntax, load};

    /// A channel of `members` members, as JSON.
    fn channel(members: usize) -> String {
        let member = |i: usize| format!(r#"{{"host": "10.0.{}.{}", "weight": 1}}"#, i / 250, i % 250 + 1);
        let members: Vec<String> = (0..members).map(member).collect();
        format!(
            r#"{{"name": "paced", "port": 80, "balance_strategy": 1, "member_type": "ip", "type": 2, "members": [{}]}}"#,
            members.join(", ")
        )
    }

    #[test]
    fn the_cross_field_rules_stop_at_a_passed_deadline_once_the_work_counts() {
        let engine = Engine::new(crate::rules::RuleSet::builtin().unwrap());
        let passed = || Deadline::after(Duration::ZERO);
        let big = channel(400);
        assert!(big.len() > 2 * CLOCK_EVERY, "{} bytes", big.len());
        let loaded = load(big.as_bytes(), Syntax::Json, Limits::default());
        let doc = &loaded.documents[0];
        assert!(!engine.check_until(doc, 0, passed()).1, "a large document stops");
        assert!(engine.check_until(doc, 0, Deadline::never()).1);
        // A small one is checked to the end: its rules cost less than reading the clock.
        let small = channel(2);
        assert!(small.len() < CLOCK_EVERY);
        let loaded = load(small.as_bytes(), Syntax::Json, Limits::default());
        assert!(engine.check_until(&loaded.documents[0], 0, passed()).1, "a small document completes");
    }

    #[test]
    fn the_clock_is_read_once_the_work_owed_reaches_the_pace() {
        let mut clock = Paced { deadline: Deadline::after(Duration::ZERO), owed: 0 };
        assert!(!clock.expired(CLOCK_EVERY - 1));
        assert!(clock.expired(1), "the work owed reaches the pace: the clock is read");
        assert!(!clock.expired(10), "owed again from nothing");
        assert!(clock.expired(usize::MAX), "one large piece reads it at once");
    }
}
