//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (architecture.md §4), validated
//! against the official schema by `tests/formats.rs`.

use crate::document::{LineIndex, Span};
use crate::escape::text;
use crate::rules::{RuleSet, Severity, docs};
use crate::{FileReport, fingerprint};
use serde::Serialize;

use super::uri::Base;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<Result<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    gateway_code: Option<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Result<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
    /// The finding's fix, as SARIF §3.55 `fix` objects (at most one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    /// `safe` or `unsafe` (applied by `--fix`, or only with `--unsafe-fixes`).
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// `partialFingerprints`; the key's suffix changes if the recipe ever does.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "apigLint/v1")]
    apig_lint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    /// RFC 6901 pointer into the document.
    pointer: &'a str,
    document: usize,
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Rule descriptions are in `lang`, as the findings' messages are.
pub fn render(rules: &RuleSet, reports: &[FileReport], base: &Base, lang: crate::Lang) -> String {
    // The rules described are those the results refer to, in id order; `ruleIndex` points into
    // that list.
    let mut used: Vec<usize> = reports.iter().flat_map(|r| r.diagnostics.iter().map(|d| d.rule)).collect();
    used.sort_by(|&a, &b| rules.rules[a].id.cmp(&rules.rules[b].id));
    used.dedup();
    let mut results = Vec::new();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let uri = base.uri(&report.path);
        let index = LineIndex::new(&report.text);
        let location = |span: Span, id: Option<usize>, message: Option<Text>| {
            let (start_line, start_column) = index.position(&report.text, span.start);
            let (end_line, end_column) = index.position(&report.text, span.end);
            let region = Region { start_line, start_column, end_line, end_column };
            let artifact_location = ArtifactLocation { uri: uri.clone() };
            Location { id, physical_location: PhysicalLocation { artifact_location, region }, message }
        };
        for d in &report.diagnostics {
            let rule = &rules.rules[d.rule];
            let related_locations = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| location(r.span, Some(i + 1), Some(Text { text: text(&r.message).into_owned() })))
                .collect();
            results.push(Result {
                rule_id: &rule.id,
                rule_index: used.binary_search_by(|&u| rules.rules[u].id.cmp(&rule.id)).unwrap_or_default(),
                level: level(d.severity),
                message: Text { text: text(&format!("{} ({})", d.message, d.help)).into_owned() },
                locations: [location(d.span, None, None)],
                related_locations,
                partial_fingerprints: Fingerprints { apig_lint: fingerprint::fingerprint(&rule.id, d) },
                properties: ResultProperties { pointer: &d.pointer, document: d.document },
                fixes: d
                    .fix
                    .iter()
                    .map(|fix| SarifFix {
                        description: Text { text: text(&fix.message).into_owned() },
                        artifact_changes: [ArtifactChange {
                            artifact_location: ArtifactLocation { uri: uri.clone() },
                            replacements: fix
                                .edits
                                .iter()
                                .map(|e| Replacement {
                                    deleted_region: location(e.span, None, None).physical_location.region,
                                    inserted_content: Text { text: e.replacement.clone() },
                                })
                                .collect(),
                        }],
                        properties: FixProperties { applicability: fix.applicability.as_str() },
                    })
                    .collect(),
            });
        }
    }
    let repository = env!("CARGO_PKG_REPOSITORY");
    let driver = Driver {
        name: "apig-lint",
        version: env!("CARGO_PKG_VERSION"),
        semantic_version: env!("CARGO_PKG_VERSION"),
        information_uri: (!repository.is_empty()).then_some(repository),
        rules: used.iter().map(|&i| rule(rules, i, &rules.rules[i], lang)).collect(),
    };
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run { tool: Tool { driver }, column_kind: "unicodeCodePoints", results }],
    };
    let mut text = crate::escape::json(serde_json::to_string_pretty(&log).unwrap_or_default());
    text.push('\n');
    text
}

fn rule<'a>(rules: &RuleSet, index: usize, r: &'a crate::rules::Rule, lang: crate::Lang) -> Rule<'a> {
    let text = r.text(lang);
    Rule {
        id: &r.id,
        name: &r.name,
        short_description: Text { text: text.summary.to_owned() },
        full_description: Text { text: text.docs.trim().to_owned() },
        help: Help {
            text: format!("{}\n\n{}: {}", text.docs.trim(), lang.pick("Source", "来源"), r.source),
            markdown: docs::explain(rules, index, lang),
        },
        default_configuration: Configuration { level: level(r.severity) },
        properties: RuleProperties { gateway_code: r.gateway_code.as_deref(), source: &r.source },
    }
}
