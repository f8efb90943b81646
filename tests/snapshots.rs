//! Every sample under `samples/`, snapshot-tested through the real binary: human output (no
//! colour, width 100) and JSON. A rule's samples run with that rule alone; the spec examples and
//! the channel-kind samples run with every rule.

mod common;

use common::{relative, run, sample_rule, stdout};

#[test]
fn samples() {
    insta::glob!("../samples", "**/*.{json,yaml}", |path| {
        let file = relative(path);
        let mut args = vec!["check", file.as_str(), "--color", "never"];
        if let Some(rule) = sample_rule(&file) {
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
