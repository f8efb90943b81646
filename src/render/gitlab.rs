//! `--format gitlab`: GitLab Code Quality JSON (a CodeClimate subset), one issue per finding with
//! a fingerprint unique in the report and stable across unrelated edits.

use std::collections::HashMap;

use crate::document::LineIndex;
use crate::escape::text;
use crate::rules::{RuleSet, Severity};
use crate::{FileReport, fingerprint};
use serde::Serialize;

use super::uri::Base;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

pub fn render(rules: &RuleSet, reports: &[FileReport], base: &Base) -> String {
    let mut issues = Vec::new();
    for report in reports {
        let path = base.relative(&report.path).unwrap_or_else(|| report.path.clone());
        let path = text(&path).into_owned();
        let index = LineIndex::new(&report.text);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in &report.diagnostics {
            let rule = &rules.rules[d.rule];
            let own = fingerprint::fingerprint(&rule.id, d);
            let occurrence = seen.entry(own.clone()).or_default();
            let unique = fingerprint::unique(&path, &own, *occurrence);
            *occurrence += 1;
            let (line, column) = index.position(&report.text, d.span.start);
            let (end_line, end_column) = index.position(&report.text, d.span.end);
            issues.push(Issue {
                kind: "issue",
                check_name: format!("{} {}", rule.id, rule.name),
                description: text(&format!("{} ({})", d.message, d.help)).into_owned(),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                fingerprint: unique,
                location: Location {
                    path: path.clone(),
                    positions: Positions {
                        begin: Position { line, column },
                        end: Position { line: end_line, column: end_column },
                    },
                },
            });
        }
    }
    let mut text = crate::escape::json(serde_json::to_string_pretty(&issues).unwrap_or_default());
    text.push('\n');
    text
}
