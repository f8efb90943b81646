//! YAML 1.2 into the node tree, from `granit-parser` events. Iterative (no recursion), so deep
//! input cannot overflow the stack; aliases stay references, with a budget on what they expand to.

use std::collections::HashMap;

use granit_parser::{ErrorKind, Event, Marker, Parser, ScalarStyle, Span as GSpan};

use super::{
    Comment, Deadline, Document, Entry, Key, Limits, LoadProblem, Node, NodeId, ProblemKind, Span, Value, scalar,
};

fn offset(marker: &Marker) -> usize {
    marker.byte_offset().unwrap_or_else(|| marker.index())
}

fn span_of(span: &GSpan) -> Span {
    Span::new(offset(&span.start), offset(&span.end))
}

/// An open collection.
struct Frame {
    id: NodeId,
    start: usize,
    flow: bool,
    kind: FrameKind,
    /// Nodes the collection stands for once aliases are expanded (itself included).
    size: u64,
    last_end: usize,
}

enum FrameKind {
    Sequence(Vec<NodeId>),
    Mapping { entries: Vec<Entry>, key: Option<Key> },
}

/// Builds the documents of one YAML stream.
struct Builder<'t> {
    text: &'t str,
    limits: Limits,
    documents: Vec<Document>,
    problems: Vec<LoadProblem>,
    doc: Document,
    stack: Vec<Frame>,
    /// Anchor id (from the parser) to node, for the current document.
    anchors: HashMap<usize, NodeId>,
    /// Expanded size of every finished node, indexed like the arena.
    sizes: Vec<u64>,
    expanded: u64,
    in_document: bool,
    /// The last plain (unquoted) `<<` scalar: in key position, a merge key.
    plain_merge: Option<NodeId>,
    /// Comments that mention apig-lint.
    comments: Vec<Comment>,
    /// Set when a problem ends the whole stream, not just its document (the document cap).
    stop: bool,
    /// Documents started so far, broken ones included: the next one's position in the stream.
    started: usize,
}

/// Most comments in a row the parser may hold while it looks ahead (its default, 96, made a file
/// with a long commented-out block a syntax error). Comments are only kept at all when the file
/// mentions `apig-lint:`, so this bounds memory only for files with directives.
const MAX_BUFFERED_COMMENTS: usize = 65_536;

/// How many events go by between two looks at the clock.
const EVENTS_PER_CLOCK_CHECK: usize = 4096;

pub(super) fn load(text: &str, limits: Limits, deadline: Deadline) -> (Vec<Document>, Vec<LoadProblem>, Vec<Comment>) {
    let options = granit_parser::options! {
        emit_anchor_events: true,
        emit_comments: text.contains("apig-lint:"),
        max_buffered_comment_events: MAX_BUFFERED_COMMENTS,
        block_nesting_limit: limits.max_depth,
        flow_nesting_limit: limits.max_depth,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder {
        text,
        limits,
        documents: Vec::new(),
        problems: Vec::new(),
        doc: Document::default(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        sizes: Vec::new(),
        expanded: 0,
        in_document: false,
        plain_merge: None,
        comments: Vec::new(),
        stop: false,
        started: 0,
    };
    let mut last_error_at = None;
    let mut events = 0usize;
    while let Some(next) = parser.next_event() {
        if events.is_multiple_of(EVENTS_PER_CLOCK_CHECK) && deadline.expired() {
            let at = next.as_ref().map_or(text.len(), |(_, span)| offset(&span.start).min(text.len()));
            builder.problems.push(deadline.problem(at, builder.position()));
            break;
        }
        events += 1;
        let outcome = match next {
            Ok((event, span)) => builder.event(event, &span),
            Err(error) => Err(LoadProblem {
                kind: match error.kind() {
                    ErrorKind::RecursionLimitExceeded | ErrorKind::TooManyComments => ProblemKind::Limit,
                    _ => ProblemKind::Syntax,
                },
                message: match error.kind() {
                    ErrorKind::RecursionLimitExceeded => {
                        format!("nesting is deeper than {} levels", limits.max_depth)
                    }
                    ErrorKind::TooManyComments => {
                        format!(
                            "more than {MAX_BUFFERED_COMMENTS} comments in a row in a file with apig-lint directives"
                        )
                    }
                    _ => format!("invalid YAML: {}", error.info()),
                },
                span: {
                    let at = offset(error.marker()).min(text.len());
                    // A tab in the indentation: the caret goes on the tab itself.
                    let at = if error.info().contains("tab") { first_tab_before(text, at) } else { at };
                    Span::new(at, at)
                },
                document: builder.position(),
            }),
        };
        let Err(problem) = outcome else { continue };
        // Abandon the broken document and resume at the next `---`, as editors do.
        let at = problem.span.start;
        builder.problems.push(problem);
        builder.abandon_document();
        if builder.stop || last_error_at == Some(at) {
            break;
        }
        last_error_at = Some(at);
        match parser.proceed_next_document() {
            Ok(true) => continue,
            _ => break,
        }
    }
    (builder.documents, builder.problems, builder.comments)
}

/// `!!merge`, the tag of a merge key (`tag:yaml.org,2002:merge`).
fn is_merge_tag(tag: &granit_parser::Tag) -> bool {
    let full = format!("{}{}", tag.handle(), tag.suffix());
    full == "tag:yaml.org,2002:merge"
}

/// Is a merge key's value a mapping, or a sequence of mappings (aliases followed)?
fn merges_mappings(doc: &Document, id: NodeId) -> bool {
    match doc.value(id) {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().all(|&item| matches!(doc.value(item), Value::Object(_))),
        _ => false,
    }
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: &GSpan) -> Result<(), LoadProblem> {
        match event {
            Event::DocumentStart(..) => {
                if self.started >= self.limits.max_documents {
                    self.stop = true;
                    let at = offset(&span.start);
                    return Err(self.limit(
                        Span::new(at, at),
                        format!(
                            "the file has more than {} documents (--max-documents), so the rest was not checked",
                            self.limits.max_documents
                        ),
                    ));
                }
                self.doc = Document { start: offset(&span.start), index: self.started, ..Document::default() };
                self.started += 1;
                self.stack.clear();
                self.anchors.clear();
                self.sizes.clear();
                self.expanded = 0;
                self.in_document = true;
            }
            Event::DocumentEnd if self.in_document => {
                self.in_document = false;
                self.documents.push(std::mem::take(&mut self.doc));
            }
            Event::Scalar(text, style, anchor, tag) => {
                // `<<` plain and untagged, or tagged `!!merge` (a merge key written out in full).
                let merge_tag = tag.as_ref().is_some_and(|t| is_merge_tag(t));
                let is_merge = text == "<<" && ((style == ScalarStyle::Plain && tag.is_none()) || merge_tag);
                let value = match (&tag, style) {
                    _ if merge_tag => Value::Str(text.as_ref().into()),
                    (Some(tag), _) if tag.is_yaml_core_schema() => {
                        let suffix = tag.core_suffix().unwrap_or("str");
                        scalar::tagged(suffix, &text)
                            .ok_or_else(|| self.problem(span_of(span), format!("`{text}` is not a valid !!{suffix}")))?
                    }
                    (_, ScalarStyle::Plain) => scalar::plain(&text),
                    _ => Value::Str(text.as_ref().into()),
                };
                let is_key =
                    matches!(self.stack.last(), Some(Frame { kind: FrameKind::Mapping { key: None, .. }, .. }));
                let ambiguity = (style == ScalarStyle::Plain && tag.is_none() && !is_key)
                    .then(|| scalar::yaml11_reading(&text, &value))
                    .flatten();
                let id = self.push(Node { value, span: span_of(span) }, 1);
                if let Some(ambiguity) = ambiguity {
                    self.doc.ambiguous.push((id, ambiguity));
                }
                if is_merge {
                    self.plain_merge = Some(id);
                }
                self.remember_anchor(anchor, id);
                self.attach(id)?;
            }
            Event::SequenceStart(style, anchor, _) | Event::MappingStart(style, anchor, _) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                if self.stack.len() >= self.limits.max_depth {
                    return Err(
                        self.limit(span_of(span), format!("nesting is deeper than {} levels", self.limits.max_depth))
                    );
                }
                let start = offset(&span.start);
                let id = self.push(Node { value: Value::Null, span: Span::new(start, start) }, 0);
                self.remember_anchor(anchor, id);
                let kind = if is_mapping {
                    FrameKind::Mapping { entries: Vec::new(), key: None }
                } else {
                    FrameKind::Sequence(Vec::new())
                };
                let flow = style == granit_parser::StructureStyle::Flow;
                let last_end = if flow { offset(&span.end) } else { start };
                self.stack.push(Frame { id, start, flow, kind, size: 1, last_end });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let end = if frame.flow { offset(&span.end) } else { frame.last_end };
                let value = match frame.kind {
                    FrameKind::Sequence(items) => Value::Array(items),
                    FrameKind::Mapping { entries, .. } => Value::Object(entries),
                };
                *self.doc.node_mut(frame.id) = Node { value, span: Span::new(frame.start, end) };
                self.sizes[frame.id] = frame.size;
                self.attach(frame.id)?;
            }
            Event::Comment(text, _) if text.contains("apig-lint") => {
                self.comments.push(Comment { span: span_of(span), text: text.into_owned() });
            }
            Event::Anchor(id, _) => {
                // The node event came just before; its anchor id was recorded with it.
                let _ = id;
            }
            Event::Alias(anchor) => {
                let span = span_of(span);
                let Some(&target) = self.anchors.get(&anchor) else {
                    return Err(self.problem(span, "alias refers to an unknown anchor".into()));
                };
                if self.stack.iter().any(|f| f.id == target) {
                    return Err(self.limit(span, "alias refers to a collection that contains it (a cycle)".into()));
                }
                let size = self.sizes[target];
                self.expanded = self.expanded.saturating_add(size);
                if self.expanded > self.limits.alias_budget {
                    return Err(self.limit(
                        span,
                        format!("aliases expand to more than {} nodes (an alias bomb?)", self.limits.alias_budget),
                    ));
                }
                let name = self.text.get(span.start + 1..span.end).unwrap_or_default().to_owned();
                let id = self.push(Node { value: Value::Alias { name, target }, span }, size);
                self.attach(id)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn push(&mut self, node: Node, size: u64) -> NodeId {
        let id = self.doc.push(node);
        self.sizes.push(size);
        id
    }

    fn remember_anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    /// Hangs a finished node on the open collection, or makes it the document's root.
    /// A node in key position names its entry: a string by its value, anything else by its text.
    fn attach(&mut self, id: NodeId) -> Result<(), LoadProblem> {
        let node_span = self.doc.node(id).span;
        let size = self.sizes[id];
        let Some(frame) = self.stack.last_mut() else {
            self.doc.set_root(id);
            return Ok(());
        };
        frame.size = frame.size.saturating_add(size);
        frame.last_end = frame.last_end.max(node_span.end);
        match &mut frame.kind {
            FrameKind::Sequence(items) => items.push(id),
            FrameKind::Mapping { entries, key } => match key.take() {
                Some(key) => {
                    if key.merge && !merges_mappings(&self.doc, id) {
                        let problem = LoadProblem {
                            kind: ProblemKind::Syntax,
                            message:
                                "invalid YAML: a merge key (`<<`) needs a mapping, an alias to one, or a sequence \
                                      of them"
                                    .into(),
                            span: node_span,
                            document: self.position(),
                        };
                        return Err(problem);
                    }
                    entries.push(Entry { key, value: id })
                }
                None => {
                    let name = match self.doc.value(id) {
                        Value::Str(text) => text.to_string(),
                        _ => self.text.get(node_span.start..node_span.end).unwrap_or_default().to_owned(),
                    };
                    let merge = self.plain_merge == Some(id);
                    if merge {
                        self.doc.set_merges();
                    }
                    *key = Some(Key { name: name.into(), span: node_span, merge });
                }
            },
        }
        Ok(())
    }

    /// The stream position of the document being read (or, between documents, of the next one).
    fn position(&self) -> usize {
        if self.in_document { self.doc.index } else { self.started }
    }

    fn abandon_document(&mut self) {
        self.stack.clear();
        self.in_document = false;
        self.doc = Document::default();
    }

    fn problem(&self, span: Span, message: String) -> LoadProblem {
        LoadProblem { kind: ProblemKind::Syntax, message, span, document: self.position() }
    }

    fn limit(&self, span: Span, message: String) -> LoadProblem {
        LoadProblem { kind: ProblemKind::Limit, message, span, document: self.position() }
    }
}

/// Where the offending tab is: in the leading white space of the line the parser stopped on, or,
/// when it stopped at the end of a line (scanning a scalar), of the next line.
fn first_tab_before(text: &str, at: usize) -> usize {
    let indent_tab = |line_start: usize| {
        let line = &text[line_start..];
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indent.find('\t').map(|tab| line_start + tab)
    };
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    if let Some(tab) = indent_tab(line_start).filter(|&tab| tab <= at) {
        return tab;
    }
    let rest_of_line = text[at..].find('\n').map(|n| at + n + 1);
    rest_of_line.and_then(indent_tab).unwrap_or(at)
}
