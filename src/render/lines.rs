//! Line formats: `concise` (`file:line:col: severity[id] message`, for grep and editors) and
//! `github` (workflow commands that GitHub Actions turns into annotations).

use std::fmt::Write as _;

use crate::FileReport;
use crate::document::{LineIndex, Positions};
use crate::escape::text;
use crate::rules::{RuleSet, Severity};

/// `file:line:col: severity[id] message`, one finding a line.
pub fn concise(rules: &RuleSet, reports: &[FileReport]) -> String {
    let mut out = String::new();
    reports.iter().for_each(|report| concise_file(rules, report, &mut out));
    out
}

/// [`concise`] for one file, appended to `out` (files can be rendered apart and joined).
pub fn concise_file(rules: &RuleSet, report: &FileReport, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    // Findings are sorted by where they start: the text is counted once, up to the last.
    let mut positions = Positions::new(&report.text);
    for d in &report.diagnostics {
        let (line, column) = positions.position(d.span.start);
        let rule = &rules.rules[d.rule];
        // A line break in a file name or a key would forge a finding of its own.
        let _ =
            writeln!(out, "{}:{line}:{column}: {}[{}] {}", text(&report.path), d.severity, rule.id, text(&d.message));
    }
}

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, one finding a line.
pub fn github(rules: &RuleSet, reports: &[FileReport]) -> String {
    let mut out = String::new();
    reports.iter().for_each(|report| github_file(rules, report, &mut out));
    out
}

/// [`github`] for one file, appended to `out`.
pub fn github_file(rules: &RuleSet, report: &FileReport, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    let index = LineIndex::new(&report.text);
    for d in &report.diagnostics {
        let (line, column) = index.position(&report.text, d.span.start);
        let (end_line, end_column) = index.position(&report.text, d.span.end);
        let rule = &rules.rules[d.rule];
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = format!("{} {}", rule.id, rule.name);
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
            property(&text(&report.path)),
            property(&title),
            data(&text(&format!("{} ({})", d.message, d.help))),
        );
    }
}

/// Escapes a workflow command's message: `%`, carriage return and line feed.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as `data`, and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Findings counted by rule, most frequent first.
pub fn statistics(rules: &RuleSet, reports: &[FileReport]) -> String {
    let mut counts = vec![0usize; rules.rules.len()];
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        counts[d.rule] += 1;
    }
    let mut rows: Vec<(usize, usize)> = counts.into_iter().enumerate().filter(|&(_, n)| n > 0).collect();
    rows.sort_by_key(|&(rule, n)| (std::cmp::Reverse(n), rules.rules[rule].id.clone()));
    let mut out = String::new();
    for (rule, n) in rows {
        let r = &rules.rules[rule];
        let _ = writeln!(out, "{n:>6}  {}  {:<8} {}", r.id, r.severity.as_str(), r.name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(property("dir:a,b/50%.yaml"), "dir%3Aa%2Cb/50%25.yaml");
    }
}
