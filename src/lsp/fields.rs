//! What the editor shows about fields, read from the same field tables the rules check against:
//! hover text, completion items, the field at a place in the tree, the outline.

use std::fmt::Write as _;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, DocumentSymbol, Documentation, MarkupContent, MarkupKind,
    SymbolKind, TextEdit,
};

use super::position::Lines;
use super::scan::{Context, Kind};
use crate::document::{Document, NodeId, Span, Syntax, Value};
use crate::rules::{FieldDef, Literal, ObjectDef, RuleSet, Type};

/// The table of the object that field names `path` lead to from the top level.
pub fn object_at<'r>(rules: &'r RuleSet, path: &[String]) -> Option<&'r ObjectDef> {
    rules.object_along(path.iter().map(String::as_str))
}

/// The definition of the last of `path`'s names.
pub fn field_at<'r>(rules: &'r RuleSet, path: &[String]) -> Option<&'r FieldDef> {
    rules.field_along(path.iter().map(String::as_str))
}

/// Where an offset falls in a document.
#[derive(Debug)]
pub enum Place {
    /// On a key: the names leading to it, the key's last.
    Key(Vec<String>, Span),
    /// On a scalar value: the names leading to it (the field whose value it is last).
    Value(Vec<String>, NodeId),
}

/// The key or scalar value at `offset`, without following aliases (a finding's place is where
/// the text is).
pub fn locate(doc: &Document, offset: usize) -> Option<Place> {
    let contains = |span: Span| span.start <= offset && offset <= span.end;
    let mut id = doc.root()?;
    let mut path = Vec::new();
    loop {
        let node = doc.node(id);
        match &node.value {
            Value::Object(entries) => {
                let mut next = None;
                for entry in entries {
                    if contains(entry.key.span) {
                        path.push(entry.key.name.to_string());
                        return Some(Place::Key(path, entry.key.span));
                    }
                    if contains(doc.node(entry.value).span) {
                        next = Some((entry.key.name.to_string(), entry.value));
                    }
                }
                let (name, value) = next?;
                path.push(name);
                id = value;
            }
            Value::Array(items) => id = *items.iter().find(|&&item| contains(doc.node(item).span))?,
            Value::Alias { .. } => return None,
            _ => return Some(Place::Value(path, id)),
        }
    }
}

/// Markdown for a field: type, limits, required, default, where it applies, what it is.
/// The description comes from the API page: its Chinese original and the English, the run's
/// language first.
pub fn describe(rules: &RuleSet, object: &ObjectDef, field: &FieldDef, lang: crate::Lang) -> String {
    let mut out = format!("**`{}`**: {}", field.name, type_name(rules, field));
    out.push_str(if field.required {
        ", required"
    } else if field.defaulted {
        ", required by the spec (the gateway applies the default)"
    } else {
        ", optional"
    });
    match (&field.doc_zh, lang) {
        (Some(zh), crate::Lang::ZhCn) => {
            let _ = write!(out, "\n\n{zh}\n\n{}\n", field.doc);
        }
        (Some(zh), crate::Lang::En) => {
            let _ = write!(out, "\n\n{}\n\n{zh}\n", field.doc);
        }
        (None, _) => {
            let _ = write!(out, "\n\n{}\n", field.doc);
        }
    }
    let mut facts = Vec::new();
    if let Some(allowed) = &field.allowed {
        let values: Vec<String> = allowed.iter().map(|v| format!("`{}`", plain(v))).collect();
        facts.push(format!("one of {}", values.join(", ")));
    }
    if let Some((min, max)) = field.range {
        facts.push(format!("from {min} to {max}"));
    }
    if let Some((min, max)) = field.length {
        facts.push(format!("{min} to {max} characters"));
    }
    if let Some((min, max)) = field.advised_length {
        facts.push(format!("{min} to {max} characters advised"));
    }
    if let Some((min, max)) = field.count {
        facts.push(format!("{min} to {max} items"));
    }
    if let Some(hint) = &field.pattern_hint {
        facts.push(format!("allowed: {hint}"));
    }
    if let Some(pattern) = &field.pattern {
        facts.push(format!("pattern `{pattern}`"));
    }
    if let Some(default) = &field.default {
        facts.push(format!("default `{}`", plain(default)));
    }
    if let Some(applies) = &field.applies {
        facts.push(format!("read by the gateway only {applies}"));
    }
    if field.response_only {
        facts.push("appears in responses only; a request should not send it".to_owned());
    }
    for fact in facts {
        let _ = writeln!(out, "- {fact}");
    }
    let _ = write!(out, "\n`{}` ({})", object.name, object.source);
    out
}

/// What one enum value means, from the field's description (`2 weighted least connections`).
pub fn meaning(field: &FieldDef, value: &Literal) -> Option<String> {
    let token = plain(value);
    let doc = &field.doc;
    let mut from = 0;
    while let Some(found) = doc[from..].find(&token) {
        let at = from + found;
        from = at + token.len();
        let before = doc[..at].chars().next_back();
        let after = doc[at + token.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word(before) || word(after) {
            continue;
        }
        let rest = doc[at..].trim_start_matches('`');
        let end = rest.find([',', ';', '.']).unwrap_or(rest.len());
        let phrase = rest[..end].trim();
        if phrase.len() > token.len() {
            return Some(phrase.replace('`', ""));
        }
    }
    None
}

fn plain(value: &Literal) -> String {
    match value {
        Literal::Str(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn type_name(rules: &RuleSet, field: &FieldDef) -> String {
    match field.ty {
        Type::Array => match field.items.as_deref() {
            Some(items) if rules.object(items).is_some() => format!("array of `{items}`"),
            Some(items) => format!("array of {items}"),
            None => "array".to_owned(),
        },
        Type::Object => field.object.as_deref().map_or_else(|| "object".to_owned(), |o| format!("object `{o}`")),
        other => other.as_str().to_owned(),
    }
}

/// Completion items for a context: the missing keys of the object, or the values of a field.
pub fn completions(
    rules: &RuleSet,
    lang: crate::Lang,
    context: &Context,
    syntax: Syntax,
    lines: &Lines,
) -> Vec<CompletionItem> {
    let Some(object) = object_at(rules, &context.path) else { return Vec::new() };
    let range = lines.range(Span::new(context.replace.0, context.replace.1));
    let json = syntax == Syntax::Json;
    let markdown = |value: String| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value });
    match &context.kind {
        Kind::Key => object
            .request_fields()
            .filter(|f| !context.present.iter().any(|p| p == &f.name))
            .map(|f| {
                let text = if json {
                    format!("\"{}\": ", f.name)
                } else {
                    let inner = " ".repeat(context.indent + 2);
                    match f.ty {
                        Type::Object => format!("{}:\n{inner}", f.name),
                        Type::Array if f.items.as_deref().is_some_and(|i| rules.object(i).is_some()) => {
                            format!("{}:\n{inner}- ", f.name)
                        }
                        _ => format!("{}: ", f.name),
                    }
                };
                CompletionItem {
                    label: f.name.to_string(),
                    kind: Some(CompletionItemKind::FIELD),
                    detail: Some(format!("{}{}", type_name(rules, f), if f.required { ", required" } else { "" })),
                    documentation: Some(markdown(describe(rules, object, f, lang))),
                    // Required fields first, then in the table's order.
                    sort_text: Some(format!("{}{:03}", if f.required { 0 } else { 1 }, position(object, f))),
                    filter_text: Some(if json { format!("\"{}\"", f.name) } else { f.name.to_string() }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: text })),
                    ..CompletionItem::default()
                }
            })
            .collect(),
        Kind::Value(name) => {
            let Some(field) = object.field(name) else { return Vec::new() };
            let values: Vec<Literal> = match (&field.allowed, field.ty) {
                (Some(allowed), _) => allowed.to_vec(),
                (None, Type::Boolean) => vec![Literal::Bool(true), Literal::Bool(false)],
                _ => return Vec::new(),
            };
            values
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let text = match value {
                        Literal::Str(s) if json => format!("\"{s}\""),
                        other => plain(other),
                    };
                    CompletionItem {
                        label: plain(value),
                        kind: Some(CompletionItemKind::ENUM_MEMBER),
                        detail: meaning(field, value),
                        documentation: Some(markdown(describe(rules, object, field, lang))),
                        sort_text: Some(format!("{i:03}")),
                        filter_text: Some(text.clone()),
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: text })),
                        ..CompletionItem::default()
                    }
                })
                .collect()
        }
    }
}

fn position(object: &ObjectDef, field: &FieldDef) -> usize {
    object.fields.iter().position(|f| f.name == field.name).unwrap_or(0)
}

/// The outline: top-level fields, members named by their host, groups by their name, and the
/// fields of nested objects.
pub fn symbols(doc: &Document, lines: &Lines) -> Vec<DocumentSymbol> {
    let Some(root) = doc.root() else { return Vec::new() };
    children(doc, root, lines, 0)
}

fn children(doc: &Document, id: NodeId, lines: &Lines, depth: usize) -> Vec<DocumentSymbol> {
    if depth > 3 {
        return Vec::new();
    }
    match &doc.node(id).value {
        Value::Object(entries) => entries
            .iter()
            .map(|e| {
                let value = doc.node(e.value);
                symbol(
                    e.key.name.to_string(),
                    kind_of(&value.value),
                    e.key.span.join(value.span),
                    e.key.span,
                    children(doc, e.value, lines, depth + 1),
                    lines,
                )
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, &item)| {
                let name = ["host", "ecs_name", "ecs_id", "member_group_name", "label_name"]
                    .iter()
                    .find_map(|key| match doc.get(item, key).map(|e| doc.value(e.value)) {
                        Some(Value::Str(s)) if !s.is_empty() => Some(s.to_string()),
                        _ => None,
                    })
                    .unwrap_or_else(|| format!("[{i}]"));
                let span = doc.node(item).span;
                symbol(
                    name,
                    kind_of(&doc.node(item).value),
                    span,
                    doc.head_span(item),
                    children(doc, item, lines, depth + 1),
                    lines,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn kind_of(value: &Value) -> SymbolKind {
    match value {
        Value::Object(_) => SymbolKind::OBJECT,
        Value::Array(_) => SymbolKind::ARRAY,
        Value::Int(_) | Value::Float(_) => SymbolKind::NUMBER,
        Value::Bool(_) => SymbolKind::BOOLEAN,
        Value::Str(_) => SymbolKind::STRING,
        Value::Null | Value::Alias { .. } => SymbolKind::NULL,
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the struct, itself deprecated for `tags`.
fn symbol(
    name: String,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
    lines: &Lines,
) -> DocumentSymbol {
    let range = lines.range(span);
    let mut selection_range = lines.range(selection);
    // The selection must lie inside the range.
    if selection_range.start < range.start || selection_range.end > range.end {
        selection_range = range;
    }
    DocumentSymbol {
        name: if name.is_empty() { "\"\"".to_owned() } else { name },
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The `member_groups` item a member's `member_group_name` names: the span of that group's name.
pub fn group_definition(doc: &Document, name: &str) -> Option<Span> {
    let root = doc.root()?;
    let groups = doc.get(root, "member_groups")?.value;
    let Value::Array(items) = doc.value(groups) else { return None };
    items.iter().find_map(|&item| {
        let entry = doc.get(item, "member_group_name")?;
        matches!(doc.value(entry.value), Value::Str(s) if s == name).then(|| doc.node(entry.value).span)
    })
}
