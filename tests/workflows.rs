//! How apig-lint fits a repository: the configuration file, suppressions with reasons and the
//! baseline, each shown to change the result as the README documents.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{json, root, run_in, stdout, write};

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apig-lint-workflows-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join(".git")).unwrap();
    dir
}

fn sample(name: &str) -> String {
    fs::read_to_string(root().join("samples").join(name)).unwrap()
}

/// `(file, rule, severity)` of every finding.
fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String, String)> {
    let out = run_in(dir, &[&["check", "--format", "json"], args].concat(), None);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_owned();
            (field("file"), field("rule"), field("severity"))
        })
        .collect()
}

fn finding(file: &str, rule: &str, severity: &str) -> (String, String, String) {
    (file.to_owned(), rule.to_owned(), severity.to_owned())
}

/// AL401 (timeout > time_interval, error) in a YAML channel and in a JSON one.
const TIMEOUT_YAML: &str = "rules/timeout-above-interval/invalid-greater.yaml";
/// AL202 (deprecated `type`, warning).
const DEPRECATED_JSON: &str = "spec/example-builtin.json";

#[test]
fn the_configuration_sets_levels_overrides_files_and_the_fail_level() {
    let dir = repo("config");
    write(&dir, "channels/orders.yaml", sample(TIMEOUT_YAML));
    write(&dir, "channels/legacy/old.yaml", sample(TIMEOUT_YAML));
    write(&dir, "channels/legacy/spec.json", sample(DEPRECATED_JSON));
    write(&dir, "channels/archive/older.yaml", sample(TIMEOUT_YAML));
    write(&dir, "tools/not-a-channel.yaml", sample(TIMEOUT_YAML));
    let without = findings(&dir, &[]);
    assert_eq!(without.len(), 5, "{without:?}");

    write(
        &dir,
        "apig-lint.toml",
        "include = [\"channels\"]\nexclude = [\"channels/archive\"]\nfail-level = \"warning\"\n\n\
         [rules]\ndeprecated-type-field = \"error\"\n\n\
         [[overrides]]\npath = \"channels/legacy/*.yaml#/vpc_health_config\"\nrules = { AL401 = \"info\" }\n\n\
         [[overrides]]\npath = \"channels/legacy/*.yaml#/members\"\nrules = { AL401 = \"off\" }\n",
    );
    assert_eq!(
        findings(&dir, &[]),
        [
            finding("channels/legacy/old.yaml", "AL401", "info"),
            finding("channels/legacy/spec.json", "AL202", "error"),
            finding("channels/orders.yaml", "AL401", "error"),
        ]
    );
    // Found from the checked path upwards, also when run from elsewhere.
    let sub = dir.join("channels/legacy");
    assert_eq!(findings(&sub, &["old.yaml"]), [finding("old.yaml", "AL401", "info")]);
    // A file named on the command line is checked even outside `include`; `exclude` always holds.
    assert_eq!(findings(&dir, &["tools/not-a-channel.yaml"]).len(), 1);
    let excluded = run_in(&dir, &["check", "channels/archive/older.yaml"], None);
    assert_eq!(excluded.status.code(), Some(2), "naming only excluded files checks nothing, and says so");
    let hook = run_in(&dir, &["check", "--channels-only", "channels/archive/older.yaml"], None);
    assert_eq!(hook.status.code(), Some(0), "in the hook that is normal");
    // --no-config and --config.
    assert_eq!(findings(&dir, &["--no-config"]).len(), 5);
    write(&dir, "strict.toml", "[rules]\nAL401 = \"warning\"\n");
    let strict = findings(&dir, &["--config", "strict.toml", "channels/orders.yaml"]);
    assert_eq!(strict, [finding("channels/orders.yaml", "AL401", "warning")]);

    // The configuration's fail level: a warning fails; --fail-level still wins.
    write(&dir, "apig-lint.toml", "fail-level = \"warning\"\n[rules]\nAL401 = \"warning\"\n");
    let code = |args: &[&str]| run_in(&dir, &[&["check", "channels/orders.yaml"], args].concat(), None).status.code();
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--fail-level", "error"]), Some(0));
    assert_eq!(code(&["--no-config"]), Some(1), "AL401 is an error by default");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_broken_configuration_is_an_error_naming_its_line() {
    let dir = repo("config-errors");
    write(&dir, "channel.yaml", sample(TIMEOUT_YAML));
    for (text, expected) in [
        ("fail-level = \"warning\"\nexlude = [\"x\"]\n", "apig-lint.toml:2:1: unknown field `exlude`"),
        ("[rules]\nAL401 = \"off\"\nno-such-rule = \"off\"\n", "apig-lint.toml:3:1: unknown rule `no-such-rule`"),
        ("[[overrides]]\npath = \"*.yaml\"\nrules = { AL401 = \"fatal\" }\n", "apig-lint.toml:3:19:"),
    ] {
        write(&dir, "apig-lint.toml", text);
        let out = run_in(&dir, &["check", "channel.yaml"], None);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
    fs::remove_file(dir.join("apig-lint.toml")).unwrap();
    write(&dir, "apig-lint.toml", "");
    write(&dir, ".apig-lint.toml", "");
    let both = run_in(&dir, &["check", "channel.yaml"], None);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("keep one"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn config_show_prints_the_effective_values_and_their_origin() {
    let dir = repo("config-show");
    write(&dir, ".apig-lint.toml", "exclude = [\"archive\"]\n\n[rules]\ntimeout-not-below-interval = \"warning\"\n");
    let out = run_in(&dir, &["config", "--show"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("# configuration file: .apig-lint.toml"), "{text}");
    assert!(text.contains("fail-level = \"error\"  # default"), "{text}");
    assert!(text.contains("exclude = [\"archive\"]  # .apig-lint.toml:1"), "{text}");
    assert!(text.contains("AL401 = \"warning\"  # timeout-above-interval, .apig-lint.toml:4"), "{text}");
    assert!(text.contains("AL402 = \"warning\"  # missing-health-check-timeout, default"), "{text}");
    let parsed: Result<toml::Table, _> = text.parse();
    assert!(parsed.is_ok(), "the output is TOML itself: {parsed:?}");
    let defaults = stdout(&run_in(&dir, &["config", "--show", "--no-config"], None));
    assert!(defaults.contains("none (built-in defaults)"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn comment_suppressions_silence_a_line_or_a_file_and_report_their_own_faults() {
    let dir = repo("comments");
    let channel = sample(TIMEOUT_YAML);
    assert!(channel.contains("  timeout: 20\n"));
    write(&dir, "plain.yaml", &channel);
    assert_eq!(findings(&dir, &["plain.yaml"]), [finding("plain.yaml", "AL401", "error")]);

    let above = channel.replace("  timeout: 20\n", "  # apig-lint: ignore AL401 -- accepted (OPS-1)\n  timeout: 20\n");
    write(&dir, "above.yaml", &above);
    assert!(findings(&dir, &["above.yaml"]).is_empty());
    let out = json(&run_in(&dir, &["check", "--format", "json", "above.yaml"], None));
    assert_eq!(out["summary"]["suppressed"], 1);

    let trailing =
        channel.replace("  timeout: 20\n", "  timeout: 20  # apig-lint: ignore timeout-not-below-interval\n");
    write(&dir, "trailing.yaml", &trailing);
    assert_eq!(
        findings(&dir, &["trailing.yaml"]),
        [finding("trailing.yaml", "AL007", "warning")],
        "suppressed, but the missing reason is reported"
    );

    let whole = format!("# apig-lint: ignore-file AL401 -- a legacy file, replaced in Q3\n{channel}");
    write(&dir, "whole.yaml", &whole);
    assert!(findings(&dir, &["whole.yaml"]).is_empty());

    let misplaced = channel.replace("  timeout: 20\n", "  timeout: 20\n  # apig-lint: ignore AL401 -- too late\n");
    write(&dir, "misplaced.yaml", &misplaced);
    let found = findings(&dir, &["misplaced.yaml"]);
    assert!(found.contains(&finding("misplaced.yaml", "AL401", "error")), "{found:?}");
    assert!(found.contains(&finding("misplaced.yaml", "AL008", "warning")), "an unused suppression: {found:?}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn config_suppressions_silence_json_by_pointer_and_report_their_own_faults() {
    let dir = repo("entries");
    let channel = sample("rules/timeout-above-interval/invalid-greater.json");
    write(&dir, "channels/orders.json", &channel);
    write(&dir, "channels/billing.json", &channel);
    let before = findings(&dir, &[]);
    assert_eq!(before.len(), 2, "{before:?}");
    let pointer = {
        let out = json(&run_in(&dir, &["check", "--format", "json", "channels/orders.json"], None));
        out["diagnostics"][0]["pointer"].as_str().unwrap().to_owned()
    };
    assert_eq!(pointer, "/vpc_health_config/timeout");
    write(
        &dir,
        "apig-lint.toml",
        "[[suppress]]\npath = \"channels/orders.json\"\npointer = \"/vpc_health_config\"\nrule = \"AL401\"\n\
         reason = \"the gateway accepts it (OPS-2)\"\n\n\
         [[suppress]]\npath = \"channels/billing.json\"\npointer = \"/members\"\nrule = \"AL401\"\nreason = \"wrong place\"\n\n\
         [[suppress]]\npath = \"channels/*.json\"\nrule = \"AL202\"\n\n\
         [[suppress]]\npath = \"elsewhere/*.json\"\nrule = \"AL401\"\nreason = \"not part of this run\"\n",
    );
    let after = findings(&dir, &[]);
    assert_eq!(
        after,
        [
            finding("apig-lint.toml", "AL008", "warning"),
            finding("apig-lint.toml", "AL007", "warning"),
            finding("apig-lint.toml", "AL008", "warning"),
            finding("channels/billing.json", "AL401", "error"),
        ],
        "orders.json is silenced at its pointer; billing.json is not (the entry's pointer is elsewhere, \
         so it is unused); the AL202 entry has no reason and nothing to do; the entry for files outside \
         the run is not judged"
    );
    let lines = stdout(&run_in(&dir, &["check", "--format", "concise"], None));
    assert!(lines.contains("apig-lint.toml:7:1: warning[AL008]"), "{lines}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_baseline_hides_known_findings_through_reformatting_and_reports_what_is_gone() {
    let dir = repo("baseline");
    let yaml = sample(TIMEOUT_YAML);
    let json_text = sample("rules/timeout-above-interval/invalid-greater.json");
    write(&dir, "a.yaml", &yaml);
    write(&dir, "b.json", &json_text);
    let out = run_in(&dir, &["check", "--write-baseline", "baseline.json"], None);
    assert_eq!(out.status.code(), Some(0), "writing a baseline accepts today's findings");
    assert!(stdout(&out).contains("wrote 2 findings to the baseline baseline.json"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("AL401"), "it says what it wrote, not every finding: {}", stdout(&out));
    let recorded: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(recorded["findings"][0]["file"], "a.yaml");
    assert!(recorded["findings"][0].get("line").is_none(), "no line numbers in the key");

    let check = |args: &[&str]| run_in(&dir, &[&["check", "--baseline", "baseline.json"], args].concat(), None);
    assert_eq!(check(&[]).status.code(), Some(0));
    // Paths are relative to the baseline file, so the baseline matches from a subdirectory too.
    fs::create_dir_all(dir.join("sub")).unwrap();
    let from_sub =
        run_in(&dir.join("sub"), &["check", "--baseline", "../baseline.json", "../a.yaml", "../b.json"], None);
    assert_eq!(from_sub.status.code(), Some(0), "{}", stdout(&from_sub));
    assert!(stdout(&check(&[])).contains("2 findings hidden by the baseline"));

    // Reformatting and inserting lines above do not bring the findings back.
    write(&dir, "a.yaml", format!("# owned by team orders\n\n{}", yaml.replace("  ", "    ")));
    let reformatted: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    write(&dir, "b.json", serde_json::to_string(&reformatted).unwrap());
    assert_eq!(check(&[]).status.code(), Some(0), "{}", stdout(&check(&[])));

    // A new finding is reported; a fixed one is counted as gone.
    let worse = yaml.replace("  timeout: 20\n", "  timeout: 22\n");
    write(&dir, "a.yaml", &worse);
    write(&dir, "b.json", json_text.replace("\"timeout\": 30", "\"timeout\": 4"));
    let out = check(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1, "the changed value is a new finding");
    let text = stdout(&check(&[]));
    assert!(text.contains("2 baselined findings are gone"), "{text}");
    let bad = run_in(&dir, &["check", "--baseline", "a.yaml"], None);
    assert_eq!(bad.status.code(), Some(2), "a file that is not a baseline is a usage error");
    let _ = fs::remove_dir_all(dir);
}

/// The configuration shown in the README is one apig-lint accepts.
#[test]
fn the_readme_configuration_example_parses() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find("## Configuration").expect("a Configuration section")..];
    let start = section.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let rules = apig_lint::rules::RuleSet::builtin().unwrap();
    let config = apig_lint::config::Config::parse("README.md", example, rules).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((config.overrides.len(), config.suppress.len()), (1, 1));
}
