//! One spanned representation for JSON and YAML documents.
//!
//! Every key and every value carries the byte range it occupies in the file. Object entries keep
//! their order and every duplicate. YAML aliases stay references into the same arena, so an alias
//! bomb costs one node per alias; [`Document::resolve`] follows them.

mod json;
mod json_reader;
mod name;
mod scalar;
mod text;
mod yaml;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use smallvec::SmallVec;

/// A string value's text: held in place up to 24 bytes (nearly every value of a channel), so a
/// document's strings cost no allocation each. Dereferences to `str`.
pub use compact_str::CompactString;
pub use name::Name;
pub use text::{LineIndex, Positions};

/// A byte range into the original file (BOM included), `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end: end.max(start) }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// `a == b` for the short names of keys and fields: most names that differ already differ in
/// length or in their first byte, which is checked before comparing the rest (the hot path of
/// every lookup of a field by name). A key held as the tables' own text and a rule's name for the
/// same field are usually one string constant (the compiler merges identical constants), so
/// equal names are usually told by their address, without reading them.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || (a.as_bytes().first() == b.as_bytes().first() && a == b))
}

/// Index of a node in its document's arena.
pub(crate) type NodeId = usize;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Integers beyond `i128` saturate; range checks still see them as out of range.
    Int(i128),
    Float(f64),
    Str(CompactString),
    Array(Vec<NodeId>),
    Object(Vec<Entry>),
    /// A YAML alias (`*name`) that refers to an anchored node of the same document.
    Alias {
        name: String,
        target: NodeId,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub value: NodeId,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: Name,
    pub span: Span,
    /// A YAML merge key: a plain `<<` whose value (an alias to a mapping, or a sequence of them)
    /// is merged into this mapping.
    pub merge: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// One document of a file: a JSON file has one, a YAML stream one per `---`.
#[derive(Clone, Debug, Default)]
pub struct Document {
    nodes: Vec<Node>,
    root: Option<NodeId>,
    /// Where the document starts in the file (for diagnostics about the document as a whole).
    pub start: usize,
    /// Its position in the stream (0-based), counting documents that did not parse.
    pub index: usize,
    /// Plain YAML scalars that YAML 1.1 tools read differently from YAML 1.2, in file order.
    pub ambiguous: Vec<(NodeId, Ambiguity)>,
    /// Does any mapping have a YAML merge key (`<<`)? Without one, a key missing from an
    /// object's own entries is missing, with no second look.
    merges: bool,
    /// Has any node of the document been a YAML alias? Without one (every JSON document), a node
    /// stands for itself and [`Document::resolve`] has nothing to follow.
    aliases: bool,
}

/// A plain scalar that YAML 1.1 tools (PyYAML, older YAML-to-JSON converters) read as another
/// value than YAML 1.2 does: `yes` (a boolean in 1.1, a string in 1.2), `08080`, `0o17`, `1:30`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ambiguity {
    /// How YAML 1.1 reads it: "the boolean true".
    pub yaml11: String,
    /// The spelling every YAML version reads as YAML 1.2 does: `8080`, `"yes"`.
    pub spelling: String,
    /// The same two in Chinese.
    pub yaml11_zh: String,
    pub spelling_zh: String,
    /// The source text of that spelling, for the fix: `8080`, `"yes"`.
    pub fixed: String,
}

impl Document {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }
    /// Follows aliases to the node they stand for. Alias chains are finite: an alias always
    /// refers to an anchor defined before it, and the loader rejects self-referencing aliases.
    #[inline]
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        if !self.aliases {
            return id;
        }
        while let Value::Alias { target, .. } = self.nodes[id].value {
            id = target;
        }
        id
    }
    /// The resolved value of a node.
    pub fn value(&self, id: NodeId) -> &Value {
        &self.nodes[self.resolve(id)].value
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    /// The effective entry for `key` in an object: the last one, as the gateway's JSON decoder
    /// keeps the last of duplicate keys; failing that, the first mapping merged in with `<<` that
    /// has it (YAML merge keys: explicit keys win, earlier merged mappings before later ones).
    #[inline]
    pub fn get<'a>(&'a self, object: NodeId, key: &str) -> Option<&'a Entry> {
        let Value::Object(entries) = self.value(object) else { return None };
        let own = entries.iter().rev().find(|e| same_name(&e.key.name, key) && !e.key.merge);
        if own.is_some() || !self.merges {
            return own;
        }
        self.get_merged(object, entries, key)
    }

    /// [`Document::get`] for a key the object's own entries lack, in a document with merge keys.
    /// Out of line: nearly every document has none, and a lookup then does not pay for what this
    /// path sets up (measured: 0.2 M fewer instructions on 2,000 files).
    #[cold]
    #[inline(never)]
    fn get_merged<'a>(&'a self, object: NodeId, entries: &'a [Entry], key: &str) -> Option<&'a Entry> {
        if !entries.iter().any(|e| e.key.merge) {
            return None;
        }
        // The merged mappings in the order `entries` lists them: the first that has the key wins.
        let mut found = None;
        self.each_merged(object, entries, |merged| {
            found = merged.iter().rev().find(|e| !e.key.merge && e.key.name == key);
            found.is_some()
        });
        found
    }

    /// Visits the mappings an object's merge keys bring in, depth first and earlier sources first,
    /// each once (a chain of any depth, without recursion), until `visit` says to stop.
    fn each_merged<'a>(&'a self, object: NodeId, own: &'a [Entry], mut visit: impl FnMut(&'a [Entry]) -> bool) {
        let mut visited = std::collections::HashSet::from([self.resolve(object)]);
        let mut stack = self.merge_sources(own);
        stack.reverse();
        while let Some(source) = stack.pop() {
            let source = self.resolve(source);
            if !visited.insert(source) {
                continue;
            }
            let Value::Object(entries) = self.value(source) else { continue };
            if visit(entries) {
                return;
            }
            let mut more = self.merge_sources(entries);
            more.reverse();
            stack.extend(more);
        }
    }

    /// The mappings an object's merge keys name, in order (a sequence of them flattened).
    fn merge_sources(&self, entries: &[Entry]) -> Vec<NodeId> {
        let mut sources = Vec::new();
        for merge in entries.iter().filter(|e| e.key.merge) {
            match self.value(merge.value) {
                Value::Array(items) => sources.extend(items.iter().copied()),
                _ => sources.push(merge.value),
            }
        }
        sources
    }

    /// Is `entry` one of the object's own entries (not one a merge key brings in)?
    pub(crate) fn owns(&self, object: NodeId, entry: &Entry) -> bool {
        matches!(self.value(object), Value::Object(own) if own.as_ptr_range().contains(&std::ptr::from_ref(entry)))
    }

    /// Where an object's first merge key (`<<: *base`) names what it merges.
    pub(crate) fn merge_span(&self, object: NodeId) -> Option<Span> {
        let Value::Object(entries) = self.value(object) else { return None };
        entries.iter().find(|e| e.key.merge).map(|e| self.node(e.value).span)
    }

    /// The entries of an object as its reader sees them: its own (merge keys aside), then those
    /// merged in with `<<` that it does not define itself. Merge chains are followed to any depth
    /// without recursion; a mapping merged twice contributes once.
    /// Held inline up to the size of the spec's largest object.
    pub fn entries(&self, object: NodeId) -> SmallVec<[&Entry; 16]> {
        let Value::Object(own) = self.value(object) else { return SmallVec::new() };
        if !self.merges || !own.iter().any(|e| e.key.merge) {
            return own.iter().collect();
        }
        // Own entries first (all of them, duplicates too), then merged ones whose key is not yet seen.
        let mut out: SmallVec<[&Entry; 16]> = own.iter().filter(|e| !e.key.merge).collect();
        let mut seen: std::collections::HashSet<&str> = out.iter().map(|e| e.key.name.as_str()).collect();
        self.each_merged(object, own, |merged| {
            for entry in merged.iter().filter(|e| !e.key.merge) {
                if seen.insert(entry.key.name.as_str()) {
                    out.push(entry);
                }
            }
            false
        });
        out
    }

    /// The node as the JSON the gateway would receive: aliases resolved, merge keys applied, the
    /// last of duplicate keys kept. Loading already bounded what aliases expand to.
    pub fn to_json(&self, id: NodeId) -> serde_json::Value {
        use serde_json::Value as J;
        match self.value(id) {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => i64::try_from(*i).map(J::from).unwrap_or_else(|_| J::from(*i as f64)),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::Array(items) => J::Array(items.iter().map(|&item| self.to_json(item)).collect()),
            Value::Object(_) => {
                let mut map = serde_json::Map::new();
                for entry in self.entries(id) {
                    map.insert(entry.key.name.to_string(), self.to_json(entry.value));
                }
                J::Object(map)
            }
            Value::Alias { .. } => J::Null,
        }
    }

    /// The head of a node: where a label about the node as a whole should point. For a block
    /// collection that is its first line, for a flow collection its opening bracket.
    pub(crate) fn head_span(&self, id: NodeId) -> Span {
        // Down the chain of first items (`- - - x`) without recursion, then back up.
        let mut chain = vec![id];
        let mut at = id;
        while let Value::Array(items) = &self.nodes[at].value {
            let Some(&first) = items.first() else { break };
            chain.push(first);
            at = first;
        }
        let mut head: Option<Span> = None;
        for &id in chain.iter().rev() {
            let node = &self.nodes[id];
            let first_child = match &node.value {
                Value::Object(entries) => entries.first().map(|e| e.key.span),
                Value::Array(items) if items.is_empty() => None,
                Value::Array(_) => head,
                _ => {
                    head = Some(node.span);
                    continue;
                }
            };
            head = Some(match first_child {
                // Flow collections start with a bracket before their first child.
                Some(child) if child.start > node.span.start => Span::new(node.span.start, node.span.start + 1),
                Some(child) => child,
                None => Span::new(node.span.start, (node.span.start + 1).min(node.span.end.max(node.span.start + 1))),
            });
        }
        head.unwrap_or_default()
    }

    pub(crate) fn push(&mut self, node: Node) -> NodeId {
        self.aliases |= matches!(node.value, Value::Alias { .. });
        self.nodes.push(node);
        self.nodes.len() - 1
    }
    pub(crate) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id]
    }
    pub(crate) fn set_root(&mut self, id: NodeId) {
        self.root = Some(id);
    }
    /// Records that a mapping of the document has a merge key.
    pub(crate) fn set_merges(&mut self) {
        self.merges = true;
    }
}

/// Reads `text` with the one-pass JSON reader and with `jsonc-parser`, and panics if the reader
/// accepts a text that `jsonc-parser` refuses or builds another tree (the `load_json` fuzz target).
#[doc(hidden)]
pub fn assert_json_readers_agree(text: &str) {
    let limits = Limits::default();
    let Some(fast) = json_reader::read(text, 0, limits) else { return };
    let (slow, problems) = json::load_slowly(text, 0, limits);
    assert!(problems.is_empty(), "accepted what jsonc-parser refuses: {problems:?}");
    assert_eq!(slow.len(), 1);
    assert_eq!(fast.nodes(), slow[0].nodes());
    assert_eq!((fast.root(), fast.start), (slow[0].root(), slow[0].start));
}

/// The syntax a file is read with, chosen from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// `*.json` is JSON; `*.yaml` and `*.yml` are YAML; anything else is read as YAML, which is a
    /// superset of JSON for documents of this shape.
    pub fn from_path(path: &str) -> Syntax {
        let bytes = path.as_bytes();
        let json = bytes.len() >= 5 && bytes[bytes.len() - 5..].eq_ignore_ascii_case(b".json");
        if json { Syntax::Json } else { Syntax::Yaml }
    }
}

/// Resource limits on input; past one, a file or document gets a diagnostic, never a crash.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest file read, in bytes; a larger one is reported without being read.
    pub max_file_size: u64,
    /// Deepest nesting of collections accepted.
    pub max_depth: usize,
    /// How many nodes the aliases of one document may stand for in total.
    pub alias_budget: u64,
    /// How long loading and checking one file may take before the rest is given up.
    pub time_budget: Duration,
    /// Most documents of one YAML stream loaded; the rest of the file is reported unchecked.
    pub max_documents: usize,
    /// Most findings reported for one file, and for one rule in one file; past either, one
    /// `document-limit-exceeded` finding says what was left out.
    pub max_findings: usize,
    pub max_findings_per_rule: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 10 * 1024 * 1024,
            max_depth: 128,
            alias_budget: 100_000,
            time_budget: Duration::from_secs(5),
            max_documents: 1_000,
            max_findings: 10_000,
            max_findings_per_rule: 1_000,
        }
    }
}

/// When work on one file must stop: checked between parse events, documents and rules, so a
/// runaway becomes a finding instead of a hang.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    at: Option<Instant>,
    budget: Duration,
}

impl Deadline {
    /// `budget` from now (never, if that is past what the clock can represent).
    pub fn after(budget: Duration) -> Self {
        Deadline { at: Instant::now().checked_add(budget), budget }
    }

    pub fn never() -> Self {
        Deadline { at: None, budget: Duration::MAX }
    }

    pub(crate) fn expired(&self) -> bool {
        self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// The problem to report when it has expired, at `at` (where work stopped).
    pub fn problem(&self, at: usize, document: usize) -> LoadProblem {
        LoadProblem {
            kind: ProblemKind::Time,
            message: format!(
                "checking took longer than the {} ms per-file budget (--time-budget), so the rest of the file was not checked",
                self.budget.as_millis()
            ),
            span: Span::new(at, at),
            document,
        }
    }
}

/// What went wrong while loading, with the byte range it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadProblem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Span,
    /// Index of the document it belongs to.
    pub document: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    Syntax,
    Encoding,
    Limit,
    /// The per-file time budget ran out.
    Time,
    Empty,
}

/// A loaded file: its text, the documents that parsed, and the problems met on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The file as text (decoded lossily when it is not UTF-8); spans index into it.
    pub text: String,
    pub documents: Vec<Document>,
    pub problems: Vec<LoadProblem>,
    /// YAML comments that mention `apig-lint` (suppression directives, maybe); JSON has none.
    pub comments: Vec<Comment>,
}

/// A source comment: its range (from `#` to the end of the line) and its text after `#`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub span: Span,
    pub text: String,
}

/// Loads a file's bytes. Never panics: anything wrong with the input becomes a [`LoadProblem`].
pub fn load(bytes: &[u8], syntax: Syntax, limits: Limits) -> Loaded {
    load_until(bytes.into(), syntax, limits, Deadline::after(limits.time_budget))
}

/// [`load`], stopping at `deadline` (YAML is given up between events; JSON parses in one linear
/// pass, so its deadline is checked by the caller afterwards).
/// Bytes given by value become the text without a copy.
pub(crate) fn load_until(bytes: Cow<'_, [u8]>, syntax: Syntax, limits: Limits, deadline: Deadline) -> Loaded {
    let (text, bom) = match text::decode(bytes) {
        Ok(decoded) => decoded,
        Err((problem, shown)) => {
            return Loaded { text: shown, documents: Vec::new(), problems: vec![problem], comments: Vec::new() };
        }
    };
    let body = &text[bom..];
    let empty = |text: &str| LoadProblem {
        kind: ProblemKind::Empty,
        message: "the file is empty; the gateway needs a JSON object".into(),
        span: Span::new(0, text.len()),
        document: 0,
    };
    if body.trim().is_empty() {
        let problem = empty(&text);
        return Loaded { text, documents: Vec::new(), problems: vec![problem], comments: Vec::new() };
    }
    let (documents, mut problems, comments) = match syntax {
        Syntax::Json => {
            let (documents, problems) = json::load(body, bom, limits);
            (documents, problems, Vec::new())
        }
        Syntax::Yaml => yaml::load(&text, limits, deadline),
    };
    // A YAML stream of nothing but comments or `...` holds no document: as empty as an empty file.
    if documents.is_empty() && problems.is_empty() {
        problems.push(empty(&text));
    }
    Loaded { text, documents, problems, comments }
}

#[cfg(test)]
mod tests;

/// Does `text`, written as a plain YAML scalar, read as that string (not a number, a boolean or
/// null), in YAML 1.2 and in YAML 1.1 alike?
pub(crate) fn reads_as_plain_string(text: &str) -> bool {
    let value = scalar::plain(text);
    matches!(&value, Value::Str(s) if s == text) && scalar::yaml11_reading(text, &value).is_none()
}
