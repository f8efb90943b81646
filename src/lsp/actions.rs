//! Code actions: "suppress with a reason" for every finding that can be suppressed (a YAML
//! comment line above it; for JSON, the `[[suppress]]` entry shown, nothing written).

use lsp_types::{CodeAction, CodeActionKind, Command, TextEdit, Uri, WorkspaceEdit};
use serde_json::{Value as Json, json};

use super::position::Lines;
use crate::diagnostic::Diagnostic;
use crate::document::{Span, Syntax};
use crate::rules::RuleSet;

/// The kind of the action that applies every safe fix of a document.
pub const FIX_ALL: &str = "source.fixAll.apig-lint";

pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub uri: &'a Uri,
    pub lines: &'a Lines<'a>,
    pub syntax: Syntax,
}

/// What a published diagnostic carries for code actions: its rule and pointer.
pub fn data(rules: &RuleSet, d: &Diagnostic) -> Json {
    let fix = d.fix.as_ref().map(|f| {
        json!({
            "applicability": f.applicability.as_str(),
            "message": f.message,
            "edits": f.edits.iter().map(|e| json!({ "start": e.span.start, "end": e.span.end, "replacement": e.replacement })).collect::<Vec<_>>(),
        })
    });
    json!({ "rule": rules.rules[d.rule].id, "pointer": d.pointer, "fix": fix })
}

/// The actions for the findings overlapping `range` (byte offsets), of the kinds asked for.
pub fn actions(
    context: &Context,
    findings: &[Diagnostic],
    range: (usize, usize),
    only: Option<&[CodeActionKind]>,
    suppress_path: &str,
) -> Vec<CodeAction> {
    let mut out = Vec::new();
    if wants(only, &CodeActionKind::QUICKFIX) {
        // The findings' own fixes first, then the suppressions.
        let here: Vec<&Diagnostic> =
            findings.iter().filter(|d| d.span.start <= range.1 && range.0 <= d.span.end).collect();
        out.extend(here.iter().filter_map(|d| Some(quick_fix(context, d, d.fix.as_ref()?))));
        for d in here {
            if context.rules.is_mandatory(d.rule) || is_about_suppressions(context.rules, d) {
                continue;
            }
            out.push(suppress(context, d, suppress_path));
        }
    }
    out
}

/// Does the client's `only` list (none: everything) take actions of `kind`? A kind is taken when
/// it is listed or one of its parents is (`source` takes `source.fixAll.apig-lint`).
pub fn wants(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
    })
}

/// A finding's own fix: preferred when safe (what an editor applies with one key), offered but not
/// preferred when unsafe.
fn quick_fix(context: &Context, d: &Diagnostic, fix: &crate::fix::Fix) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit { range: context.lines.range(e.span), new_text: e.replacement.clone() })
        .collect();
    let safe = fix.applicability == crate::fix::Applicability::Safe;
    CodeAction {
        title: if safe { fix.message.clone() } else { format!("{} (unsafe)", fix.message) },
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![lsp_diagnostic(context, d)]),
        edit: Some(WorkspaceEdit {
            changes: Some([(context.uri.clone(), edits)].into_iter().collect()),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(safe),
        ..CodeAction::default()
    }
}

/// Every safe fix of the document at once: the whole text replaced by the applier's result.
pub fn fix_all(uri: &Uri, lines: &Lines, fixed: String) -> CodeAction {
    let whole = lines.range(Span::new(0, lines.text.len()));
    CodeAction {
        title: "Fix all safe apig-lint findings".to_owned(),
        kind: Some(CodeActionKind::from(FIX_ALL)),
        edit: Some(WorkspaceEdit {
            changes: Some([(uri.clone(), vec![TextEdit { range: whole, new_text: fixed }])].into_iter().collect()),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    }
}

fn lsp_diagnostic(context: &Context, d: &Diagnostic) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: context.lines.range(d.span),
        code: Some(lsp_types::NumberOrString::String(context.rules.rules[d.rule].id.to_string())),
        source: Some("apig-lint".to_owned()),
        message: d.message.clone(),
        ..lsp_types::Diagnostic::default()
    }
}

fn is_about_suppressions(rules: &RuleSet, d: &Diagnostic) -> bool {
    matches!(&rules.rules[d.rule].check, crate::rules::Check::Document { problem } if problem.is_about_suppressions())
}

fn suppress(context: &Context, d: &Diagnostic, suppress_path: &str) -> CodeAction {
    let rule = &context.rules.rules[d.rule];
    let lsp_diagnostic = lsp_diagnostic(context, d);
    match context.syntax {
        Syntax::Yaml => {
            let text = context.lines.text;
            let line = context.lines.index.line_of(d.span.start);
            let (start, end) = context.lines.index.line_range(text, line);
            let indent: String = text[start..end].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let new_text = format!("{indent}# apig-lint: ignore {} -- \n", rule.id);
            let at = context.lines.range(Span::new(start, start));
            let edit = WorkspaceEdit {
                changes: Some([(context.uri.clone(), vec![TextEdit { range: at, new_text }])].into_iter().collect()),
                ..WorkspaceEdit::default()
            };
            CodeAction {
                title: format!("Suppress {} ({}) on this line, with a reason", rule.id, rule.name),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic]),
                edit: Some(edit),
                ..CodeAction::default()
            }
        }
        Syntax::Json => {
            let mut entry = format!("[[suppress]]\npath = {}\nrule = \"{}\"\n", toml_string(suppress_path), rule.id);
            if !d.pointer.is_empty() {
                entry.push_str(&format!("pointer = {}\n", toml_string(&d.pointer)));
            }
            entry.push_str("reason = \"\"\n");
            CodeAction {
                title: format!("Suppress {} ({}) with a [[suppress]] entry in apig-lint.toml", rule.id, rule.name),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic]),
                command: Some(Command {
                    title: "Show the [[suppress]] entry".to_owned(),
                    command: super::SHOW_SUPPRESS_ENTRY.to_owned(),
                    arguments: Some(vec![Json::String(entry)]),
                }),
                ..CodeAction::default()
            }
        }
    }
}

fn toml_string(text: &str) -> String {
    // A TOML basic string is a JSON string for everything a path or pointer holds.
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}
