#![no_main]
//! Baseline parsing on arbitrary text: never panics; a baseline that parses applies to a report
//! without hiding a finding that means the file was not checked.

use apig_lint::baseline::{self, Baseline};
use apig_lint::render::uri::Base;
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(parsed) = Baseline::parse(text) else { return };
    let engine = Engine::new(rules);
    let report = lint_bytes(&engine, "a.yaml", b"name: x\n---\n[: broken\n", &Options::default());
    let mandatory = report.diagnostics.iter().filter(|d| rules.is_mandatory(d.rule)).count();
    let mut reports = [report];
    let base = Base::new("/repo".into(), "/repo".into());
    let _ = parsed.apply(&mut reports, rules, &base);
    let left = reports[0].diagnostics.iter().filter(|d| rules.is_mandatory(d.rule)).count();
    assert_eq!(mandatory, left, "a baseline hid a syntax error");
    let (written, _) = baseline::write(&reports, rules, &base);
    assert!(Baseline::parse(&written).is_ok(), "what is written reads back");
});
