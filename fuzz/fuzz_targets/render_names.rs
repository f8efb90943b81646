#![no_main]
//! Every output format with a hostile file name and hostile content: the text formats hold no
//! control, bidi or invisible character but their own line breaks, a concise report has one line
//! per finding, JUnit is XML 1.0 characters only, and the JSON formats parse.

use std::path::PathBuf;

use apig_lint::escape::is_unsafe;
use apig_lint::render::{gitlab, human, json, junit, lines, sarif, uri::Base};
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    // The first line names the file; the rest is its content.
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let name = String::from_utf8_lossy(&data[..split]).into_owned();
    let content = data.get(split + 1..).unwrap_or_default();
    let engine = Engine::new(rules);
    for suffix in [".json", ".yaml"] {
        let path = format!("{name}{suffix}");
        let report = lint_bytes(&engine, &path, content, &Options::default());
        let findings = report.diagnostics.len();
        let reports = [report];
        let base = Base::new(PathBuf::from("/repo"), PathBuf::from("/repo"));
        let plain = |text: &str, format: &str| {
            assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{format}: unsafe character in {text:?}");
        };
        let human = human::render(rules, &reports, false, 80, apig_lint::Lang::ZhCn);
        assert!(!human.chars().any(|c| is_unsafe(c) && !matches!(c, '\n' | '\t')), "human: {human:?}");
        let concise = lines::concise(rules, &reports);
        plain(&concise, "concise");
        assert_eq!(concise.lines().count(), findings, "one concise line per finding");
        let github = lines::github(rules, &reports);
        plain(&github, "github");
        assert_eq!(github.lines().count(), findings, "one workflow command per finding");
        let junit = junit::render(rules, &reports, &[]);
        assert!(!junit.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')));
        for (format, text) in [
            ("json", json::render(rules, &reports, &json::Summary::of(&reports))),
            ("sarif", sarif::render(rules, &reports, &base, apig_lint::Lang::ZhCn)),
            ("gitlab", gitlab::render(rules, &reports, &base)),
        ] {
            plain(&text, format);
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{format} is JSON");
        }
    }
});
