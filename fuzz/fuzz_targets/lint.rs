#![no_main]
//! The whole check-and-render pipeline on arbitrary bytes, as JSON and as YAML, walking or
//! explicit: every rule runs, suppression comments are read, and every output format renders the
//! report.

use std::path::PathBuf;

use apig_lint::render::{gitlab, human, json, junit, lines, sarif, uri::Base};
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    let engine = Engine::new(rules);
    let walking = data.first().is_some_and(|b| b & 1 == 1);
    let base = Base::new(PathBuf::from("/repo"), PathBuf::from("/repo"));
    for name in ["channels/a b.json", "channels/a%b.yaml"] {
        let report = lint_bytes(&engine, name, data, &Options { skip_foreign: walking, ..Options::default() });
        let reports = [report];
        let _ = human::render(rules, &reports, false, 80, apig_lint::Lang::ZhCn);
        let _ = json::render(rules, &reports, &json::Summary::of(&reports));
        let _ = lines::concise(rules, &reports);
        let _ = lines::github(rules, &reports);
        let _ = lines::statistics(rules, &reports);
        let _ = sarif::render(rules, &reports, &base, apig_lint::Lang::ZhCn);
        let _ = junit::render(rules, &reports, &[]);
        let _ = gitlab::render(rules, &reports, &base);
    }
});
