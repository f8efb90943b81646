//! The binary as users run it: exit codes, standard input, directory walking, the JSON contract,
//! hostile input and deterministic output.

mod common;

use std::fs;

use common::{json, root, run, run_in, stdout, temp_dir, write};

const VALID: &str = "samples/valid/builtin-ip.yaml";
const INVALID: &str = "samples/rules/timeout-above-interval/invalid-greater.yaml";
const WARNING_ONLY: &str = "samples/rules/deprecated-type-field/invalid.yaml";

#[test]
fn exit_codes_follow_the_contract() {
    assert_eq!(run(&["check", VALID]).status.code(), Some(0));
    assert_eq!(run(&["check", INVALID]).status.code(), Some(1));
    assert_eq!(run(&["check", WARNING_ONLY]).status.code(), Some(0), "warnings do not fail by default");
    assert_eq!(run(&["check", WARNING_ONLY, "--fail-level", "warning"]).status.code(), Some(1));
    assert_eq!(run(&["check", "--format", "xml", VALID]).status.code(), Some(2), "usage error");
    assert_eq!(run(&["check", "--select", "no-such-rule", VALID]).status.code(), Some(2));
    let missing = run(&["check", "does/not/exist.yaml", INVALID]);
    assert_eq!(missing.status.code(), Some(2), "a missing path is an IO error");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does/not/exist.yaml"));
    assert!(stdout(&missing).contains("AL401"), "the other paths are still checked");
}

#[test]
fn select_and_ignore_take_ids_and_names() {
    let only = json(&run(&["check", INVALID, "--format", "json", "--ignore", "AL401"]));
    assert_eq!(only["diagnostics"].as_array().unwrap().len(), 0);
    let by_name = json(&run(&["check", INVALID, "--format", "json", "--ignore", "timeout-not-below-interval"]));
    assert_eq!(by_name["diagnostics"].as_array().unwrap().len(), 0);
    let selected = json(&run(&["check", "samples/spec", "--format", "json", "--select", "AL202,AL401"]));
    for d in selected["diagnostics"].as_array().unwrap() {
        assert!(["AL202", "AL401"].contains(&d["rule"].as_str().unwrap()));
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = json(&run(&["check", INVALID, "--format", "json"]));
    assert_eq!(out["version"], 1);
    let d = &out["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "file",
        "document",
        "rule",
        "name",
        "severity",
        "message",
        "pointer",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "length",
        "help",
        "gateway_code",
        "related",
        "fix",
    ] {
        assert!(keys.contains(&key), "missing `{key}` in {d}");
    }
    assert_eq!(keys.len(), 17, "no undocumented keys: {keys:?}");
    // `fix` is null for a finding without one (this sample's timeout has none); its shape is
    // checked in tests/fixes.rs.
    assert!(d["fix"].is_null(), "{d}");
    let text = fs::read_to_string(root().join(INVALID)).unwrap();
    let offset = d["offset"].as_u64().unwrap() as usize;
    let length = d["length"].as_u64().unwrap() as usize;
    assert_eq!(&text[offset..offset + length], "20", "offset and length select the value");
    for key in ["message", "pointer", "line", "column"] {
        assert!(d["related"][0].get(key).is_some(), "related entries have `{key}`");
    }
    for key in ["files", "documents", "errors", "warnings", "infos"] {
        assert!(out["summary"].get(key).is_some(), "summary has `{key}`");
    }
}

#[test]
fn standard_input_is_named_by_stdin_filename() {
    let text = fs::read(root().join(INVALID)).unwrap();
    let out = run_in(&root(), &["check", "-", "--stdin-filename", "buffer.yaml", "--format", "json"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["diagnostics"][0]["file"], "buffer.yaml");
    assert_eq!(report["diagnostics"][0]["line"], 13);
    // The name chooses the syntax: the same YAML text named .json is a JSON syntax error.
    let as_json =
        json(&run_in(&root(), &["check", "-", "--stdin-filename", "buffer.json", "--format", "json"], Some(&text)));
    assert_eq!(as_json["diagnostics"][0]["rule"], "AL001");
}

#[test]
fn directory_walks_skip_what_is_not_a_channel() {
    let dir = temp_dir("walk");
    let channel = fs::read(root().join(INVALID)).unwrap();
    write(&dir, "channels/orders.yaml", &channel);
    write(&dir, "package.json", br#"{"name": "x", "version": "1.0.0", "dependencies": {}}"#);
    write(&dir, ".github/workflows/ci.yml", &channel);
    write(&dir, "k8s/deploy.yaml", b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n");
    write(&dir, "teams.yaml", b"name: platform\nmembers:\n  - alice\n  - bob\n");
    write(&dir, "ignored/orders.yaml", &channel);
    write(&dir, ".gitignore", b"ignored/\n");
    write(&dir, "empty.yaml", b"");
    write(&dir, "notes.txt", &channel);
    write(&dir, "broken.json", b"{\"member_type\": ");
    let out = json(&run_in(&dir, &["check", "--format", "json"], None));
    let files: Vec<&str> = out["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"channels/orders.yaml"), "{files:?}");
    assert!(files.contains(&"broken.json"), "a file that does not parse is reported: {files:?}");
    for skipped in ["package.json", "k8s/deploy.yaml", "teams.yaml", "ignored/orders.yaml", "empty.yaml", "notes.txt"] {
        assert!(!files.contains(&skipped), "{skipped} should be skipped: {files:?}");
    }
    assert!(!files.iter().any(|f| f.contains(".github")), "hidden folders are skipped: {files:?}");
    // Named explicitly, a file is checked whatever it holds.
    let explicit = json(&run_in(&dir, &["check", "package.json", "empty.yaml", "--format", "json"], None));
    let rules: Vec<&str> =
        explicit["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"AL101") && rules.contains(&"AL005"), "{rules:?}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn rules_and_explain() {
    let listing = stdout(&run(&["rules"]));
    assert!(listing.contains("AL401") && listing.contains("timeout-above-interval"));
    let as_json: serde_json::Value = serde_json::from_str(&stdout(&run(&["rules", "--format", "json"]))).unwrap();
    assert!(as_json.as_array().unwrap().len() >= 40);
    let explained = run(&["explain", "AL401"]);
    assert_eq!(explained.status.code(), Some(0));
    let text = stdout(&explained);
    assert!(
        text.contains("## Why") && text.contains("## Invalid example") && text.contains("## Valid example"),
        "{text}"
    );
    assert_eq!(stdout(&run(&["explain", "timeout-above-interval"])), text, "by name or by id");
    assert_eq!(stdout(&run(&["explain", "timeout-not-below-interval"])), text, "and by the name it had before");
    assert_eq!(run(&["explain", "AL999"]).status.code(), Some(2));
}

#[test]
fn output_is_deterministic_whatever_the_thread_count() {
    let args = ["check", "samples", "--format", "json"];
    let once = run(&args);
    let again = run(&args);
    assert_eq!(once.stdout, again.stdout);
    let single = std::process::Command::new(env!("CARGO_BIN_EXE_apig-lint"))
        .args(args)
        .current_dir(root())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert_eq!(once.stdout, single.stdout, "1 thread and all threads give the same bytes");
    let flagged = run(&[&args[..], &["--threads", "1"]].concat());
    assert_eq!(once.stdout, flagged.stdout, "--threads 1 gives the same bytes");
    let files: Vec<String> =
        json(&once)["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_owned()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "sorted by file");
    for format in ["human", "concise", "github", "sarif", "junit", "gitlab"] {
        let args = ["check", "samples", "--format", format, "--color", "never"];
        let many = run(&[&args[..], &["--threads", "4"]].concat());
        let one = run(&[&args[..], &["--threads", "1"]].concat());
        assert_eq!(many.stdout, one.stdout, "{format}: the same bytes for 1 and 4 threads");
    }
}

/// The one-line formats are written file by file as the files are checked, unless the run is on
/// one thread or a baseline changes the reports first; either way, and whatever order the paths
/// come in, the findings read the same (a configuration's own findings included).
#[test]
fn line_formats_read_the_same_however_the_paths_come_and_whenever_they_are_written() {
    let dir = temp_dir("early-lines");
    let sample = |path: &str| fs::read(root().join("samples").join(path)).unwrap();
    write(&dir, "c.json", sample("rules/timeout-above-interval/invalid-greater.json"));
    write(&dir, "a.yaml", sample("rules/pattern-mismatch/invalid-label-ends-with-dash.yaml"));
    write(&dir, "b.json", sample("rules/value-out-of-range/invalid-member-weight.json"));
    write(&dir, "clean.json", sample("valid/builtin-ip.json"));
    // An entry for a file that has no such finding: the configuration gets a finding of its own.
    write(&dir, "apig-lint.toml", "[[suppress]]\npath = \"c.json\"\nrule = \"AL104\"\nreason = \"none\"\n");
    let written = run_in(&dir, &["check", "clean.json", "--write-baseline", "empty.json"], None);
    assert_eq!(written.status.code(), Some(0), "{}", stdout(&written));
    // The findings, without the summary after them.
    let findings = |args: &[&str]| {
        let out = stdout(&run_in(&dir, &[&["check"], args].concat(), None));
        out.lines().take_while(|line| !line.starts_with("Found ")).collect::<Vec<_>>().join("\n")
    };
    for format in ["concise", "github"] {
        let given = findings(&["--format", format, "a.yaml", "b.json", "c.json", "clean.json"]);
        assert!(given.contains("c.json") && given.contains("apig-lint.toml"), "{format}: {given}");
        for threads in ["1", "4"] {
            let reversed =
                findings(&["--format", format, "--threads", threads, "clean.json", "c.json", "b.json", "a.yaml"]);
            assert_eq!(reversed, given, "{format}, {threads} threads: paths given in reverse");
            let late = findings(&[
                "--format",
                format,
                "--threads",
                threads,
                "--baseline",
                "empty.json",
                "c.json",
                "a.yaml",
                "clean.json",
                "b.json",
            ]);
            assert_eq!(late, given, "{format}, {threads} threads: written after a baseline that hides nothing");
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// Each hostile input ends in an error diagnostic and exit 1, never a crash.
#[test]
fn hostile_input_is_a_finding_not_a_crash() {
    let dir = temp_dir("hostile");
    let deep_json = "[".repeat(1_000_000);
    let deep_yaml: String = "- ".repeat(1_000_000);
    let deep_flow_yaml = "{a: ".repeat(1_000_000);
    let mut bomb = String::from("name: x\nmembers: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
    for i in 1..12 {
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    let mut random = Vec::with_capacity(64 * 1024);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..64 * 1024 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        random.push(state as u8);
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("deep.json", deep_json.into_bytes(), "AL004"),
        ("deep.yaml", deep_yaml.into_bytes(), "AL004"),
        ("deep-flow.yaml", deep_flow_yaml.into_bytes(), "AL004"),
        ("bomb.yaml", bomb.into_bytes(), "AL004"),
        ("random.json", random.clone(), "AL002"),
        ("random.yaml", random, "AL002"),
        ("empty.json", Vec::new(), "AL005"),
        ("nul.json", b"{\"name\": \"a\0b\"}".to_vec(), "AL001"),
        ("utf16.yaml", "name: x\n".encode_utf16().flat_map(u16::to_le_bytes).collect(), "AL002"),
    ];
    for (name, bytes, rule) in &cases {
        write(&dir, name, bytes);
        let out = run_in(&dir, &["check", name, "--format", "json"], None);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let report = json(&out);
        let rules: Vec<&str> =
            report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert!(rules.contains(rule), "{name}: expected {rule}, got {rules:?}");
        assert!(rules.len() <= 3, "{name}: one diagnostic for the problem, not a flood: {rules:?}");
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn limits_are_configurable_and_an_oversized_file_is_not_read() {
    let dir = temp_dir("limits");
    write(&dir, "big.yaml", " ".repeat(2048).as_bytes());
    write(&dir, "nested.json", b"{\"member_type\": [[[[[1]]]]]}");
    write(&dir, "aliases.yaml", b"a: &a [1, 2, 3]\nb: [*a, *a, *a]\n");
    let rules_of = |args: &[&str]| -> Vec<String> {
        let out = run_in(&dir, &[&["check", "--format", "json"], args].concat(), None);
        json(&out)["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(rules_of(&["big.yaml", "--max-file-size", "1KiB"]), ["AL004"]);
    assert!(!rules_of(&["big.yaml", "--max-file-size", "4KiB"]).contains(&"AL004".to_owned()));
    assert!(rules_of(&["nested.json", "--max-depth", "3"]).contains(&"AL004".to_owned()));
    assert!(!rules_of(&["nested.json"]).contains(&"AL004".to_owned()));
    assert!(rules_of(&["aliases.yaml", "--alias-budget", "5"]).contains(&"AL004".to_owned()));
    assert!(!rules_of(&["aliases.yaml"]).contains(&"AL004".to_owned()));
    let stdin = run_in(&dir, &["check", "-", "--max-file-size", "1KiB", "--format", "json"], Some(&[b' '; 4096]));
    assert_eq!(json(&stdin)["diagnostics"][0]["rule"], "AL004", "standard input is limited too");
    assert_eq!(run_in(&dir, &["check", "big.yaml", "--max-file-size", "ten"], None).status.code(), Some(2));
    assert_eq!(run_in(&dir, &["check", "big.yaml", "--time-budget", "soon"], None).status.code(), Some(2));

    // A run out of time is a finding at the place work stopped, and the rest is not checked.
    let members: String = (0..20_000).map(|i| format!("  - host: 10.0.{}.{}\n", i / 250, i % 250)).collect();
    write(&dir, "slow.yaml", format!("name: x\nmember_type: ip\nmembers:\n{members}").as_bytes());
    let out = run_in(&dir, &["check", "slow.yaml", "--time-budget", "0s", "--format", "json"], None);
    let report = json(&out);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["rule"], "AL004");
    assert!(diagnostics[0]["message"].as_str().unwrap().contains("--time-budget"));
    assert_eq!(out.status.code(), Some(1));
    assert!(!rules_of(&["slow.yaml"]).contains(&"AL004".to_owned()), "the default budget is ample");
    let _ = fs::remove_dir_all(dir);
}

/// More hostile files, in a walked directory: each is a finding or an IO error on its own, and
/// the good file beside them is still checked.
#[test]
fn hostile_files_in_a_walk_do_not_stop_the_others() {
    let dir = temp_dir("hostile-walk");
    let channel = fs::read(root().join(INVALID)).unwrap();
    write(&dir, "good.yaml", &channel);
    write(&dir, "bad-key.json", b"{\"member_type\": \"ip\", \"na\xffme\": 1}");
    let long_line = format!("{{\"member_type\": \"ip\", \"name\": \"{}\"}}", "x".repeat(1_000_000));
    write(&dir, "long-line.json", long_line.as_bytes());
    fs::File::create(dir.join("huge.yaml")).unwrap().set_len(100 * 1024 * 1024).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let out = run_in(&dir, &["check", "--format", "json"], None);
    let report = json(&out);
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_owned(), d["rule"].as_str().unwrap().to_owned()))
        .collect();
    let has = |file: &str, rule: &str| found.iter().any(|(f, r)| f == file && r == rule);
    assert!(has("good.yaml", "AL401"), "{found:?}");
    assert!(has("bad-key.json", "AL002"), "invalid UTF-8 in a key: {found:?}");
    assert!(has("long-line.json", "AL105"), "a 1 MB line is read and checked: {found:?}");
    assert!(has("huge.yaml", "AL004"), "100 MiB is over the size limit: {found:?}");
    assert!(!found.iter().any(|(f, _)| f.starts_with("loop")), "symlinks are not followed: {found:?}");
    assert_eq!(out.status.code(), Some(1));
    let _ = fs::remove_dir_all(dir);
}

/// In a walk, a link to a channel file is checked under its own name (ruff too follows links to
/// files), a link to a directory is not walked into, and a link that leads nowhere is an IO error
/// (exit 2) with the files beside it still checked: none is passed over without a word.
#[cfg(unix)]
#[test]
fn a_walk_checks_linked_files_and_reports_broken_links() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("walk-links");
    write(&dir, "shared/base.yaml", fs::read(root().join(INVALID)).unwrap());
    symlink("shared/base.yaml", dir.join("prod.yaml")).unwrap();
    symlink("shared", dir.join("linked.json")).unwrap();
    let files = |out: &std::process::Output| -> Vec<String> {
        let report = json(out);
        let mut files: Vec<String> =
            report["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_owned()).collect();
        files.dedup();
        files
    };
    let out = run_in(&dir, &["check", "--format", "json"], None);
    assert_eq!(files(&out), ["prod.yaml", "shared/base.yaml"], "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1));

    symlink("nowhere.yaml", dir.join("broken.yaml")).unwrap();
    let out = run_in(&dir, &["check", "--format", "json"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read broken.yaml: it is a symbolic link to nowhere.yaml, which does not exist"),
        "{stderr}"
    );
    assert_eq!(files(&out), ["prod.yaml", "shared/base.yaml"], "{stderr}");
    assert_eq!(out.status.code(), Some(2));
    let _ = fs::remove_dir_all(dir);
}

/// An unreadable file is an IO error (exit 2) while the others are still checked. Permission bits
/// do not stop root, so where the test runs as root the file stays readable and only the second
/// half of the check applies.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_and_the_others_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("unreadable");
    let channel = fs::read(root().join(INVALID)).unwrap();
    write(&dir, "good.yaml", &channel);
    write(&dir, "secret.yaml", &channel);
    fs::set_permissions(dir.join("secret.yaml"), fs::Permissions::from_mode(0o000)).unwrap();
    let blocked = fs::read(dir.join("secret.yaml")).is_err();
    let out = run_in(&dir, &["check", "good.yaml", "secret.yaml", "--format", "json"], None);
    let files: Vec<String> =
        json(&out)["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_owned()).collect();
    assert!(files.contains(&"good.yaml".to_owned()), "{files:?}");
    if blocked {
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("secret.yaml"));
    }
    let _ = fs::set_permissions(dir.join("secret.yaml"), fs::Permissions::from_mode(0o644));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn the_linter_never_writes_to_the_files_it_checks() {
    let dir = temp_dir("read-only");
    let channel = fs::read(root().join(INVALID)).unwrap();
    write(&dir, "channel.yaml", &channel);
    let before = fs::metadata(dir.join("channel.yaml")).unwrap().modified().unwrap();
    for format in ["human", "json"] {
        run_in(&dir, &["check", "channel.yaml", "--format", format], None);
    }
    assert_eq!(fs::read(dir.join("channel.yaml")).unwrap(), channel);
    assert_eq!(fs::metadata(dir.join("channel.yaml")).unwrap().modified().unwrap(), before);
    let _ = fs::remove_dir_all(dir);
}

/// Thousands of findings on one 200 kB line render in human output: no panic in the renderer
/// (miette's own source reader fails past 65,535 columns) and no rescan of the file per finding.
#[test]
fn many_findings_on_one_long_line_render() {
    let dir = temp_dir("long-line-findings");
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{\"name\": \"x\", \"member_type\": \"ip\", {}}}", keys.join(", "));
    write(&dir, "wide.json", text.as_bytes());
    // Above the default caps on findings, which are for runaway files, not this renderer test.
    let caps = ["--max-findings", "100000", "--max-findings-per-rule", "100000"];
    let human = run_in(&dir, &[&["check", "wide.json", "--color", "never"][..], &caps].concat(), None);
    assert_eq!(human.status.code(), Some(1), "{}", String::from_utf8_lossy(&human.stderr));
    let out = stdout(&human);
    assert_eq!(out.matches("AL108 unknown-key").count(), 20_000);
    assert!(out.contains("wide.json:1:"), "locations are shown");
    assert!(out.lines().all(|line| line.chars().count() < 400), "long lines are cut around the finding");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn concise_and_github_formats() {
    let concise = stdout(&run(&["check", INVALID, "--format", "concise", "--quiet"]));
    assert_eq!(
        concise,
        format!("{INVALID}:13:12: error[AL401] `timeout` 20 is greater than `time_interval` 10\n"),
        "one line a finding, nothing else with --quiet"
    );
    let dir = temp_dir("github");
    write(&dir, "a,b: 50%.yaml", fs::read(root().join(INVALID)).unwrap());
    let github = stdout(&run_in(&dir, &["check", "a,b: 50%.yaml", "--format", "github"], None));
    assert!(
        github.starts_with(
            "::error file=a%2Cb%3A 50%25.yaml,line=13,col=12,endLine=13,endColumn=14,title=AL401 timeout-above-interval::`timeout` 20 is greater"
        ),
        "{github}"
    );
    assert_eq!(github.lines().count(), 1, "no summary line among workflow commands: {github}");
    let warning = stdout(&run(&["check", WARNING_ONLY, "--format", "github"]));
    assert!(warning.starts_with("::warning file="), "{warning}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn exit_zero_quiet_and_statistics() {
    assert_eq!(run(&["check", INVALID, "--exit-zero"]).status.code(), Some(0));
    assert_eq!(run(&["check", "missing.yaml", "--exit-zero"]).status.code(), Some(2), "IO errors still exit 2");
    let loud = stdout(&run(&["check", INVALID, "--color", "never"]));
    let quiet = stdout(&run(&["check", INVALID, "--color", "never", "--quiet"]));
    assert!(loud.ends_with("(1 document checked).\n") && !quiet.contains("Found"), "{quiet}");
    let stats = stdout(&run(&[
        "check",
        "samples/rules/invalid-http-code",
        "samples/rules/timeout-above-interval",
        "--statistics",
    ]));
    let first = stats.lines().next().unwrap_or_default();
    assert!(first.contains("AL401") && first.trim_start().starts_with('4'), "most frequent first: {stats}");
    assert!(stats.contains("AL405"), "{stats}");
    assert_eq!(run(&["check", INVALID, "--statistics", "--format", "json"]).status.code(), Some(2));
}

#[test]
fn output_writes_the_report_to_a_file_and_the_summary_to_the_terminal() {
    let dir = temp_dir("output");
    let report = dir.join("report.json");
    let report_arg = report.to_string_lossy().into_owned();
    let out = run(&["check", INVALID, "--format", "json", "--output", &report_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "Found 1 error, 0 warnings and 0 infos in 1 file (1 document checked).\n");
    let written: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(written["diagnostics"][0]["rule"], "AL401");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn channels_only_skips_named_files_that_are_not_channels() {
    let dir = temp_dir("channels-only");
    write(&dir, "package.json", br#"{"name": "web", "version": "1.0.0"}"#);
    write(&dir, "orders.yaml", fs::read(root().join(INVALID)).unwrap());
    let named = json(&run_in(&dir, &["check", "package.json", "orders.yaml", "--format", "json"], None));
    assert!(named["diagnostics"].as_array().unwrap().iter().any(|d| d["file"] == "package.json"));
    let hook =
        json(&run_in(&dir, &["check", "package.json", "orders.yaml", "--format", "json", "--channels-only"], None));
    let files: Vec<&str> =
        hook["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.iter().all(|f| *f == "orders.yaml") && !files.is_empty(), "{files:?}");
    let _ = fs::remove_dir_all(dir);
}
