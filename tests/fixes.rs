//! Fixes: every sample under `tests/fixes/<rule>/` (JSON and YAML, block and flow, comments,
//! CRLF, a BOM) is fixed with every fix, safe and unsafe, and the fixed text is snapshot-tested.
//! Fixing is idempotent, the fixed findings are gone, and the command line writes, diffs and
//! pipes as documented.

mod common;

use std::fs;
use std::path::Path;

use apig_lint::fix::{Applicability, FixMode, fix_bytes};
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use common::{relative, root, run, run_in, stdout, temp_dir};

const ALL: FixMode = FixMode { unsafe_fixes: true };

fn engine() -> Engine<'static> {
    Engine::new(RuleSet::builtin().expect("the built-in rules load"))
}

/// CR and the BOM made visible, so the snapshot shows they survive.
fn visible(text: &str) -> String {
    text.replace('\r', "␍").replace('\u{feff}', "<BOM>")
}

/// The rule a sample is about: its directory's name.
fn rule_of(path: &Path) -> usize {
    let name = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or_default();
    RuleSet::builtin().unwrap().find(name).unwrap_or_else(|| panic!("tests/fixes/{name} names no rule"))
}

#[test]
fn fixed_samples() {
    let engine = engine();
    insta::glob!("fixes", "**/*.{json,yaml}", |path| {
        let name = relative(path);
        let bytes = fs::read(path).unwrap();
        let rule = rule_of(path);
        let before = lint_bytes(&engine, &name, &bytes, &Options::default());
        let fixable = before.diagnostics.iter().filter(|d| d.rule == rule && d.fix.is_some()).count();
        // `no-fix-*` samples show a finding of the rule that has no fix.
        let expect_fix = !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("no-fix"));
        assert_eq!(fixable > 0, expect_fix, "{name}: whether the sample has a fixable finding of its rule");
        let fixed = fix_bytes(&engine, &name, &bytes, &Options::default(), ALL);
        assert!(fixed.problem.is_none(), "{name}: {:?}", fixed.problem);
        assert!(fixed.applied >= fixable && fixed.changed == (fixed.applied > 0), "{name}: every fix applied");
        // The fixed findings are gone; what is left has no fix.
        let left = fixed.report.diagnostics.iter().filter(|d| d.fix.is_some()).count();
        assert_eq!(left, 0, "{name}: fixable findings left: {:#?}", fixed.report.diagnostics);
        let own_before = before.diagnostics.iter().filter(|d| d.rule == rule).count();
        let own_after = fixed.report.diagnostics.iter().filter(|d| d.rule == rule).count();
        assert_eq!(own_after, own_before - fixable, "{name}: only the unfixable findings of its rule are left");
        // Idempotent: fixing the result changes nothing.
        let again = fix_bytes(&engine, &name, fixed.text.as_bytes(), &Options::default(), ALL);
        assert_eq!((again.text.as_str(), again.applied), (fixed.text.as_str(), 0), "{name}: fix twice = fix once");
        // Line endings and the BOM survive.
        let original = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(original.contains("\r\n"), fixed.text.contains("\r\n"), "{name}: CRLF kept");
        assert!(original.matches('\n').count() >= fixed.text.matches('\n').count(), "{name}: no line added");
        assert_eq!(original.starts_with('\u{feff}'), fixed.text.starts_with('\u{feff}'), "{name}: BOM kept");
        let rules = engine.rules;
        let findings: Vec<String> = before
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .map(|d| {
                let fix = d.fix.as_ref().unwrap();
                format!("{} [{}] {}", rules.rules[d.rule].id, fix.applicability.as_str(), fix.message)
            })
            .collect();
        let left: Vec<String> =
            fixed.report.diagnostics.iter().map(|d| format!("{} {}", rules.rules[d.rule].id, d.message)).collect();
        insta::assert_snapshot!(format!(
            "--- fixes ---\n{}\n\n--- fixed text ---\n{}\n--- left ---\n{}\n",
            findings.join("\n"),
            visible(&fixed.text),
            left.join("\n")
        ));
    });
}

/// Safe fixes alone leave the unsafe ones, and say nothing is broken.
#[test]
fn safe_mode_leaves_unsafe_fixes() {
    let engine = engine();
    let bytes = fs::read(root().join("tests/fixes/misspelt-key/typo.json")).unwrap();
    let fixed = fix_bytes(&engine, "typo.json", &bytes, &Options::default(), FixMode::default());
    assert!(!fixed.changed);
    assert!(
        fixed
            .report
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe))
    );
}

/// Every sample of the repository fixes to a fixpoint that still parses, and fixing twice is
/// fixing once.
#[test]
fn every_sample_fixes_idempotently() {
    let engine = engine();
    let mut files = Vec::new();
    for dir in ["samples", "tests/fixes", "tests/evidence"] {
        collect(&root().join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    for path in files {
        let name = relative(&path);
        let bytes = fs::read(&path).unwrap();
        let fixed = fix_bytes(&engine, &name, &bytes, &Options::default(), ALL);
        assert!(fixed.problem.is_none(), "{name}: {:?}", fixed.problem);
        let again = fix_bytes(&engine, &name, fixed.text.as_bytes(), &Options::default(), ALL);
        assert_eq!(again.text, fixed.text, "{name}: fix twice = fix once");
        assert!(!again.changed);
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

const BROKEN: &str = "name: orders\r\nport: \"8080\"  # quoted\r\nbalance_strategy: 1\r\nmember_type: ip\r\nmembers:\r\n  - host: 192.168.0.5\r\n  - host: 192.168.0.5\r\n";

#[test]
fn check_fix_writes_in_place_keeping_permissions() {
    let dir = temp_dir("write");
    let file = dir.join("orders.yaml");
    fs::write(&file, BROKEN).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = run_in(&dir, &["check", "--fix", "--format", "concise", "orders.yaml"], None);
    let text = stdout(&out);
    assert!(text.contains("Fixed 1 finding (1 left)."), "{text}");
    assert!(text.contains("1 more fixable with `--unsafe-fixes`."), "{text}");
    assert_eq!(out.status.code(), Some(0), "only a warning is left: {text}");
    let fixed = fs::read_to_string(&file).unwrap();
    assert_eq!(fixed, BROKEN.replace("\"8080\"", "8080"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640);
    }
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    let out = run_in(&dir, &["check", "--fix", "--unsafe-fixes", "--format", "concise", "orders.yaml"], None);
    assert!(stdout(&out).contains("Fixed 1 finding (0 left)."), "{}", stdout(&out));
    assert!(!fs::read_to_string(&file).unwrap().contains("  - host: 192.168.0.5\r\n  - host"));
}

#[test]
fn check_diff_writes_nothing_and_exits_1_on_a_change() {
    let dir = temp_dir("diff");
    let file = dir.join("orders.yaml");
    fs::write(&file, BROKEN).unwrap();
    let out = run_in(&dir, &["check", "--diff", "orders.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(diff.contains("--- orders.yaml") && diff.contains("-port: \"8080\"") && diff.contains("+port: 8080"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Would fix 1 finding"));
    assert_eq!(fs::read_to_string(&file).unwrap(), BROKEN, "--diff writes nothing");
    fs::write(&file, BROKEN.replace("\"8080\"", "8080")).unwrap();
    let out = run_in(&dir, &["check", "--diff", "orders.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "nothing to change");
    assert!(stdout(&out).is_empty());
}

#[test]
fn fix_on_stdin_prints_the_document_and_reports_on_stderr() {
    let out = run_in(
        &root(),
        &["check", "--fix", "--stdin-filename", "orders.yaml", "--format", "concise"],
        Some(BROKEN.as_bytes()),
    );
    assert_eq!(stdout(&out), BROKEN.replace("\"8080\"", "8080"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning[AL305]") && stderr.contains("Fixed 1 finding (1 left)."), "{stderr}");
}

#[test]
fn configuration_turns_fixes_on_and_makes_them_unsafe_or_off() {
    let dir = temp_dir("config");
    let file = dir.join("orders.yaml");
    fs::write(&file, BROKEN).unwrap();
    fs::write(dir.join("apig-lint.toml"), "fix = true\nunsafe-fixes = true\nunfixable = [\"duplicate-member\"]\n")
        .unwrap();
    let out = run_in(&dir, &["check", "--format", "concise", "orders.yaml"], None);
    assert!(stdout(&out).contains("Fixed 1 finding (1 left)."), "{}", stdout(&out));
    fs::write(&file, BROKEN).unwrap();
    fs::write(dir.join("apig-lint.toml"), "fix = true\nextend-unsafe-fixes = [\"AL102\"]\n").unwrap();
    let out = run_in(&dir, &["check", "--format", "concise", "orders.yaml"], None);
    let text = stdout(&out);
    assert!(
        text.contains("Fixed 0 findings (2 left).") && text.contains("2 more fixable with `--unsafe-fixes`."),
        "{text}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), BROKEN);
}

#[test]
fn json_and_human_output_carry_the_fix() {
    let sample = "tests/fixes/wrong-type/crlf.yaml";
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(&["check", "--format", "json", sample]))).unwrap();
    let fix = &json["diagnostics"][0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["replacement"], "8080");
    assert_eq!((fix["edits"][0]["line"].as_u64(), fix["edits"][0]["length"].as_u64()), (Some(2), Some(6)));
    let human = stdout(&run(&["check", "--color", "never", sample]));
    assert!(human.contains("AL102 wrong-type [*]") && human.contains("fix: write `port` as `8080`"), "{human}");
}
