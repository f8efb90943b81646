//! Every sample under `samples/`, snapshot-tested through the real binary: human output (no
//! colour, width 100) and JSON. A rule's samples run with that rule alone; the spec examples, the
//! channel-kind samples and the samples of the suppression rules (which are about other rules'
//! findings) run with every rule.

mod common;

use apig_lint::rules::{Check, RuleSet};
use common::{relative, run, sample_rule, stdout};

fn about_suppressions(rule: &str) -> bool {
    let rules = RuleSet::builtin().expect("the built-in rules load");
    let index = rules.find(rule).expect("samples are named after rules");
    matches!(rules.rules[index].check, Check::Document { problem } if problem.is_about_suppressions())
}

#[test]
fn samples() {
    insta::glob!("../samples", "**/*.{json,yaml}", |path| {
        let file = relative(path);
        let mut args = vec!["check", file.as_str(), "--color", "never"];
        if let Some(rule) = sample_rule(&file).filter(|rule| !about_suppressions(rule)) {
            args.extend(["--select", rule]);
        }
        let human = run(&[args.as_slice(), &["--format", "human"]].concat());
        let json = run(&[args.as_slice(), &["--format", "json"]].concat());
        assert_eq!(human.status.code(), json.status.code(), "{file}: both formats exit alike");
        let snapshot = format!(
            "exit code: {}\n\n--- human ---\n{}\n--- json ---\n{}",
            json.status.code().unwrap_or(-1),
            stdout(&human),
            stdout(&json)
        );
        insta::assert_snapshot!(snapshot);
    });
}
