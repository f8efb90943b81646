//! 中文 (issue #12): the Chinese rendering of a set of samples in every format, the locale as a
//! way to choose it, and machine fields that never change with the language.

mod common;

use std::process::{Command, Output, Stdio};

use common::{json, root, run, stdout};

/// Samples that between them reach every kind of text: rule templates, field tables, loader
/// details, suppressions, labels, the YAML 1.1 readings and the summary line.
const SAMPLES: &[&str] = &[
    "samples/spec/example-builtin.json",
    "samples/rules/timeout-above-interval/invalid-through-alias.yaml",
    "samples/rules/misspelt-key/invalid-value-checked-as-field.yaml",
    "samples/rules/pattern-mismatch/invalid-name-space.json",
    "samples/rules/yaml11-ambiguous-scalar/invalid.yaml",
    "samples/rules/unused-suppression/invalid.yaml",
    "samples/rules/registry-info-ignored/invalid.yaml",
    "samples/rules/empty-document/invalid-empty-file.yaml",
    "samples/rules/missing-cce-workload-selector/invalid-half-pair.yaml",
];

const FORMATS: &[&str] = &["human", "concise", "github", "json", "sarif", "junit", "gitlab"];

/// Runs the binary with `LANG` set as given (and no other locale variable).
fn run_with_lang(lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apig-lint"))
        .args(args)
        .current_dir(root())
        .env("COLUMNS", "100")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

#[test]
fn chinese_rendering_in_every_format() {
    for sample in SAMPLES {
        let mut snapshot = String::new();
        for format in FORMATS {
            let out = run(&["--lang", "zh-CN", "check", sample, "--format", format, "--color", "never"]);
            snapshot.push_str(&format!(
                "--- {format} (exit {}) ---\n{}\n",
                out.status.code().unwrap_or(-1),
                stdout(&out)
            ));
        }
        let name = sample.trim_start_matches("samples/").replace('/', "__");
        insta::assert_snapshot!(format!("zh-CN__{name}"), snapshot);
    }
}

#[test]
fn the_locale_chooses_chinese_and_the_flag_wins() {
    let sample = SAMPLES[1];
    let by_flag = stdout(&run(&["--lang", "zh-CN", "check", sample, "--color", "never"]));
    let by_locale = stdout(&run_with_lang("zh_CN.UTF-8", &["check", sample, "--color", "never"]));
    assert_eq!(by_flag, by_locale, "LANG=zh_CN.UTF-8 is the same as --lang zh-CN");
    assert!(by_locale.contains("网关会返回"), "{by_locale}");
    let english = stdout(&run_with_lang("zh_CN.UTF-8", &["--lang", "en", "check", sample, "--color", "never"]));
    assert!(english.contains("the gateway would answer"), "--lang wins over the locale: {english}");
    let explained = stdout(&run_with_lang("zh_TW.UTF-8", &["explain", "AL401"]));
    assert!(explained.contains("## 说明"), "any zh_* locale gets Chinese docs: {explained}");
    let rules = stdout(&run(&["rules", "--lang", "zh-CN"]));
    assert!(rules.contains("AL401") && rules.contains("健康检查"), "{rules}");
}

/// Rule ids, names, severities, pointers, positions, gateway codes and fingerprints are the same
/// whatever the language; only messages and help change.
#[test]
fn machine_fields_do_not_depend_on_the_language() {
    for sample in SAMPLES {
        let en = json(&run(&["--lang", "en", "check", sample, "--format", "json"]));
        let zh = json(&run(&["--lang", "zh-CN", "check", sample, "--format", "json"]));
        let strip = |report: &serde_json::Value| -> Vec<serde_json::Value> {
            report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    let o = d.as_object_mut().unwrap();
                    o.remove("message");
                    o.remove("help");
                    if let Some(fix) = o.get_mut("fix").and_then(|f| f.as_object_mut()) {
                        fix.remove("message");
                    }
                    for r in o.get_mut("related").and_then(|r| r.as_array_mut()).into_iter().flatten() {
                        r.as_object_mut().unwrap().remove("message");
                    }
                    d
                })
                .collect()
        };
        assert_eq!(strip(&en), strip(&zh), "{sample}");
        assert_eq!(en["summary"], zh["summary"], "{sample}");
        let fingerprints = |lang: &str| -> Vec<serde_json::Value> {
            let sarif = json(&run(&["--lang", lang, "check", sample, "--format", "sarif"]));
            sarif["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| serde_json::json!([r["ruleId"], r["partialFingerprints"], r["locations"]]))
                .collect()
        };
        assert_eq!(fingerprints("en"), fingerprints("zh-CN"), "{sample}");
    }
}

/// A baseline written in one language matches in the other.
#[test]
fn baselines_match_across_languages() {
    let dir = std::env::temp_dir().join(format!("apig-lint-zh-baseline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sample = std::fs::read(root().join(SAMPLES[1])).unwrap();
    std::fs::write(dir.join("a.yaml"), sample).unwrap();
    let run_here = |args: &[&str]| common::run_in(&dir, args, None);
    assert_eq!(run_here(&["--lang", "zh-CN", "check", "a.yaml", "--write-baseline", "b.json"]).status.code(), Some(0));
    let checked = run_here(&["--lang", "en", "check", "a.yaml", "--baseline", "b.json"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    let _ = std::fs::remove_dir_all(dir);
}
