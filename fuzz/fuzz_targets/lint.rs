#![no_main]
//! The whole check on arbitrary bytes, as JSON and as YAML, walking or explicit: every rule runs,
//! and every position a renderer would compute is computed.

use apig_lint::document::LineIndex;
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    let engine = Engine::new(rules);
    let walking = data.first().is_some_and(|b| b & 1 == 1);
    for name in ["channel.json", "channel.yaml"] {
        let report = lint_bytes(&engine, name, data, &Options { skip_foreign: walking, ..Options::default() });
        let index = LineIndex::new(&report.text);
        for d in &report.diagnostics {
            let _ = index.position(&report.text, d.span.start);
            let _ = index.position(&report.text, d.span.end);
            for r in &d.related {
                let _ = index.position(&report.text, r.span.start);
            }
        }
    }
});
