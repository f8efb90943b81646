//! `--format junit`: JUnit XML as GitLab and Jenkins read it. A test suite per file, a test case
//! per document, a failure per finding at or above the run's fail level (the others are listed in
//! the test case's output, so a warning does not fail a pipeline that the exit code passes).

use std::collections::BTreeSet;
use std::io;

use crate::FileReport;
use crate::document::LineIndex;
use crate::rules::{RuleSet, Severity};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

/// `fail_levels[i]` is the lowest severity that fails `reports[i]` (missing: error).
pub fn render(rules: &RuleSet, reports: &[FileReport], fail_levels: &[Severity]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail; an error here would be a bug, reported as empty output.
    if write(&mut writer, rules, reports, fail_levels).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    rules: &RuleSet,
    reports: &[FileReport],
    fail_levels: &[Severity],
) -> io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let cases: Vec<BTreeSet<usize>> = reports.iter().map(test_cases).collect();
    let tests: usize = cases.iter().map(BTreeSet::len).sum();
    let level = |i: usize| fail_levels.get(i).copied().unwrap_or(Severity::Error);
    let failing = |i: usize, report: &FileReport| report.diagnostics.iter().filter(|d| d.severity >= level(i)).count();
    let failures: usize = reports.iter().enumerate().map(|(i, r)| failing(i, r)).sum();
    writer
        .create_element("testsuites")
        .with_attributes([("name", "apig-lint"), ("tests", &*tests.to_string()), ("failures", &*failures.to_string())])
        .write_inner_content(|w| {
            for (i, (report, documents)) in reports.iter().zip(&cases).enumerate() {
                suite(w, rules, report, documents, level(i))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The documents of a file that get a test case: those checked, and any a finding is about.
fn test_cases(report: &FileReport) -> BTreeSet<usize> {
    report.documents.iter().copied().chain(report.diagnostics.iter().map(|d| d.document)).collect()
}

fn suite(
    w: &mut Writer<Vec<u8>>,
    rules: &RuleSet,
    report: &FileReport,
    documents: &BTreeSet<usize>,
    fail_level: Severity,
) -> io::Result<()> {
    let index = LineIndex::new(&report.text);
    // Findings grouped by document in one pass (not one pass per document).
    let mut by_document: std::collections::BTreeMap<usize, Vec<&crate::Diagnostic>> = Default::default();
    for d in &report.diagnostics {
        by_document.entry(d.document).or_default().push(d);
    }
    let path = clean(&report.path);
    let path = path.as_str();
    let failures = report.diagnostics.iter().filter(|d| d.severity >= fail_level).count();
    w.create_element("testsuite")
        .with_attributes([
            ("name", path),
            ("tests", &documents.len().to_string()),
            ("failures", &failures.to_string()),
            ("errors", "0"),
        ])
        .write_inner_content(|w| {
            for &document in documents {
                let name = format!("document {document}");
                let case = w.create_element("testcase").with_attributes([
                    ("name", name.as_str()),
                    ("classname", path),
                    ("file", path),
                ]);
                let findings = by_document.get(&document).map(Vec::as_slice).unwrap_or_default();
                if findings.is_empty() {
                    case.write_empty()?;
                    continue;
                }
                case.write_inner_content(|w| {
                    let mut below = String::new();
                    for d in findings {
                        let rule = &rules.rules[d.rule];
                        let (line, column) = index.position(&report.text, d.span.start);
                        let message = clean(&format!("{} {}: {}", rule.id, rule.name, d.message));
                        let body = format!(
                            "{path}:{line}:{column}: {}[{}] {}\nat {}\nhelp: {}",
                            d.severity,
                            rule.id,
                            clean(&d.message),
                            if d.pointer.is_empty() { "the document".to_owned() } else { clean(&d.pointer) },
                            clean(&d.help)
                        );
                        if d.severity < fail_level {
                            below.push_str(&body);
                            below.push('\n');
                            continue;
                        }
                        w.create_element("failure")
                            .with_attributes([("message", message.as_str()), ("type", d.severity.as_str())])
                            .write_text_content(BytesText::new(&body))?;
                    }
                    if !below.is_empty() {
                        w.create_element("system-out").write_text_content(BytesText::new(&below))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Text from the file (names, keys, messages) with control, bidi and invisible characters
/// escaped; what is left that XML 1.0 cannot hold at all (U+FFFE, U+FFFF; there is nothing else
/// after escaping, but the check is cheap) becomes U+FFFD.
fn clean(text: &str) -> String {
    crate::escape::text(text).chars().map(|c| if xml_char(c) { c } else { '\u{FFFD}' }).collect()
}

/// XML 1.0 `Char`: tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 up.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
