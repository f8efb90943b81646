//! `--format json`: the contract of architecture.md §4.

use crate::FileReport;
use crate::document::LineIndex;
use crate::rules::RuleSet;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Entry<'a> {
    file: &'a str,
    document: usize,
    rule: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    pointer: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    help: &'a str,
    gateway_code: Option<&'a str>,
    related: Vec<RelatedEntry<'a>>,
    /// The finding's fix, or `null`.
    fix: Option<FixEntry<'a>>,
}

#[derive(Serialize)]
struct FixEntry<'a> {
    applicability: &'a str,
    message: &'a str,
    edits: Vec<EditEntry<'a>>,
}

/// One edit: replace `length` bytes at byte `offset` (from `line`:`column` to
/// `end_line`:`end_column`) with `replacement`.
#[derive(Serialize)]
struct EditEntry<'a> {
    offset: usize,
    length: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    message: &'a str,
    pointer: &'a str,
    line: usize,
    column: usize,
}

#[derive(Clone, Serialize, Default)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings removed by suppression comments and `[[suppress]]` entries.
    pub suppressed: usize,
    /// Files skipped as not VPC channels.
    pub skipped: usize,
    /// Files that could not be read (and so were not checked).
    pub unreadable: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary { files: reports.len(), ..Summary::default() };
        for report in reports {
            summary.documents += report.documents.len();
            summary.suppressed += report.suppressed;
            for d in &report.diagnostics {
                match d.severity {
                    crate::rules::Severity::Error => summary.errors += 1,
                    crate::rules::Severity::Warning => summary.warnings += 1,
                    crate::rules::Severity::Info => summary.infos += 1,
                }
            }
        }
        summary
    }
}

/// The JSON report; `summary` is [`Summary::of`] the reports, with what the run knows besides
/// (skipped and unreadable files).
pub fn render(rules: &RuleSet, reports: &[FileReport], summary: &Summary) -> String {
    let mut diagnostics = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        let at = |offset| index.position(&report.text, offset);
        for d in &report.diagnostics {
            let rule = &rules.rules[d.rule];
            let (line, column) = at(d.span.start);
            let (end_line, end_column) = at(d.span.end);
            let related = d
                .related
                .iter()
                .map(|r| {
                    let (line, column) = at(r.span.start);
                    RelatedEntry { message: &r.message, pointer: &r.pointer, line, column }
                })
                .collect();
            diagnostics.push(Entry {
                file: &report.path,
                document: d.document,
                rule: &rule.id,
                name: &rule.name,
                severity: d.severity.as_str(),
                message: &d.message,
                pointer: &d.pointer,
                line,
                column,
                end_line,
                end_column,
                offset: d.span.start,
                length: d.span.len(),
                help: &d.help,
                gateway_code: rule.gateway_code.as_deref(),
                related,
                fix: d.fix.as_ref().map(|fix| FixEntry {
                    applicability: fix.applicability.as_str(),
                    message: &fix.message,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| {
                            let (line, column) = at(e.span.start);
                            let (end_line, end_column) = at(e.span.end);
                            EditEntry {
                                offset: e.span.start,
                                length: e.span.len(),
                                line,
                                column,
                                end_line,
                                end_column,
                                replacement: &e.replacement,
                            }
                        })
                        .collect(),
                }),
            });
        }
    }
    let output = Output { version: 1, diagnostics, summary: summary.clone() };
    let mut text = crate::escape::json(serde_json::to_string_pretty(&output).unwrap_or_default());
    text.push('\n');
    text
}

#[derive(Serialize)]
struct RuleEntry<'a> {
    id: &'a str,
    name: &'a str,
    severity: &'a str,
    gateway_code: Option<&'a str>,
    summary: &'a str,
    source: &'a str,
}

pub fn rules(rules: &RuleSet) -> String {
    let entries: Vec<RuleEntry> = rules
        .rules
        .iter()
        .map(|r| RuleEntry {
            id: &r.id,
            name: &r.name,
            severity: r.severity.as_str(),
            gateway_code: r.gateway_code.as_deref(),
            summary: &r.summary,
            source: &r.source,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
    text.push('\n');
    text
}
