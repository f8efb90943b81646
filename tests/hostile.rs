//! The hostile-input suite of issue #9: inputs built to hang the linter, exhaust its memory, pass
//! a broken file, or forge its output. Each runs the real binary under a watchdog that also
//! samples peak memory; the ceilings are generous (the test binary is a debug build, on a shared
//! machine) and what they catch is an order of magnitude: the inputs took 10–90 s and gigabytes
//! before the fixes. Large inputs are generated here, not committed.

mod common;

use std::fs;
use std::path::Path;
use std::time::Duration;

use common::{Watched, json, run_in, run_watched, stdout, temp_dir, write};

/// The valid channel of `samples/valid/builtin-ip.yaml`, to which the cases add.
const CHANNEL: &str = "name: orders-backend\nport: 8080\nbalance_strategy: 1\nmember_type: ip\nvpc_channel_type: builtin\n\
members:\n  - host: 192.168.0.5\n    weight: 10\n";

/// Findings caps out of the way, so a case measures the pass it is about and not the cap.
const UNCAPPED: [&str; 4] = ["--max-findings", "10000000", "--max-findings-per-rule", "10000000"];

const MIB: u64 = 1024;

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_owned()).collect()
}

/// Runs a check and asserts it ended inside `seconds` and `mib` of peak memory.
fn bounded(dir: &Path, args: &[&str], seconds: u64, mib: u64) -> Watched {
    let watched = run_watched(dir, args, Duration::from_secs(seconds));
    assert!(
        watched.peak_kib <= mib * MIB,
        "{args:?}: peak memory {} MiB over the {mib} MiB ceiling",
        watched.peak_kib / MIB
    );
    let stderr = String::from_utf8_lossy(&watched.output.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    watched
}

#[test]
fn value_hashing_is_linear_in_findings() {
    let dir = temp_dir("hashing");
    let keys: String = (0..100_000).map(|i| format!("k{i}: 1\n")).collect();
    write(&dir, "wide.yaml", format!("{CHANNEL}{keys}").as_bytes());
    let merged: String = (0..30_000).map(|i| format!("k{i}: 1, ")).collect();
    write(&dir, "merged.yaml", format!("{CHANNEL}<<: {{{merged}}}\n").as_bytes());
    for file in ["wide.yaml", "merged.yaml"] {
        let args = [&["check", file, "--format", "json", "--time-budget", "60s"][..], &UNCAPPED].concat();
        let watched = bounded(&dir, &args, 60, 512);
        let found = rules(&json(&watched.output));
        let expected = if file == "wide.yaml" { 100_000 } else { 30_000 };
        assert_eq!(found.iter().filter(|r| *r == "AL108").count(), expected, "{file}: every key hashed, none lost");
        assert!(!found.contains(&"AL004".to_owned()), "{file}: within the budget");
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn member_group_suggestions_are_bounded() {
    let dir = temp_dir("suggestions");
    let n = 10_000;
    let groups: String = (0..n).map(|i| format!("  - member_group_name: group-{i}\n")).collect();
    let members: String =
        (0..n).map(|i| format!("  - host: 10.0.{}.{}\n    member_group_name: grp-{i}\n", i / 250, i % 250)).collect();
    let text = format!(
        "name: x\nport: 80\nbalance_strategy: 1\nmember_type: ip\nvpc_channel_type: builtin\nmember_groups:\n{groups}members:\n{members}"
    );
    write(&dir, "groups.yaml", text.as_bytes());
    let args = [&["check", "groups.yaml", "--format", "json", "--time-budget", "60s"][..], &UNCAPPED].concat();
    let watched = bounded(&dir, &args, 60, 512);
    let report = json(&watched.output);
    let found = rules(&report);
    assert_eq!(found.iter().filter(|r| *r == "AL304").count(), n, "every undefined group is still reported");
    let suggested = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("did you mean"))
        .count();
    assert!(suggested > 0 && suggested < n, "suggestions stop at their budget: {suggested}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn suppression_directives_are_linear() {
    let dir = temp_dir("directives");
    let trailing: String = (0..150_000).map(|i| format!("k{i}: 1 # apig-lint: ignore AL108 -- r\n")).collect();
    write(&dir, "trailing.yaml", format!("{CHANNEL}{trailing}").as_bytes());
    let args = [&["check", "trailing.yaml", "--format", "json", "--time-budget", "60s"][..], &UNCAPPED].concat();
    let watched = bounded(&dir, &args, 60, 1024);
    assert_eq!(rules(&json(&watched.output)), Vec::<String>::new(), "each directive suppresses its key");
    assert_eq!(watched.output.status.code(), Some(0));

    let stacked = "# apig-lint: ignore AL108 -- r\n".repeat(60_000);
    write(&dir, "stacked.yaml", format!("{CHANNEL}{stacked}extra: 1\n").as_bytes());
    let watched = bounded(&dir, &["check", "stacked.yaml", "--format", "json", "--time-budget", "5s"], 60, 512);
    let found = rules(&json(&watched.output));
    assert!(!found.contains(&"AL004".to_owned()), "well inside the budget: {:?}", &found[..found.len().min(5)]);
    assert!(!found.contains(&"AL108".to_owned()), "the key is suppressed");
    let _ = fs::remove_dir_all(dir);
}

/// Five million findings in one 10 MB file: capped while checking, so memory stays bounded and
/// one finding says what was left out; every format renders it.
#[test]
fn findings_are_capped_per_rule_and_file() {
    let dir = temp_dir("findings");
    let mut text = String::from("{\"name\": \"x\", \"member_type\": \"ip\", \"members\": [");
    let ones = (10_000_000 - text.len() - 2) / 2;
    text.push_str(&"1,".repeat(ones - 1));
    text.push_str("1]}");
    assert!(text.len() < 10 * 1024 * 1024);
    write(&dir, "ones.json", text.as_bytes());
    for format in ["json", "sarif", "human", "junit"] {
        // A generous time budget: this case is about the caps, and a debug build on a busy
        // machine can take more than the default five seconds to check five million items.
        let args = ["check", "ones.json", "--format", format, "--color", "never", "--time-budget", "120s"];
        let watched = bounded(&dir, &args, 150, 1024);
        assert_eq!(watched.output.status.code(), Some(1), "{format}");
        if format == "json" {
            let report = json(&watched.output);
            let found = rules(&report);
            assert!(found.len() <= 10_001, "{}", found.len());
            let caps: Vec<&serde_json::Value> = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["message"].as_str().unwrap().contains("--max-findings-per-rule"))
                .collect();
            assert_eq!(caps.len(), 1, "the cap is reported once");
            assert_eq!(caps[0]["rule"], "AL004");
        }
    }
    let streams = "---\n".repeat(2_000_000);
    write(&dir, "streams.yaml", streams.as_bytes());
    let watched = bounded(&dir, &["check", "streams.yaml", "--format", "json"], 60, 512);
    assert!(watched.output.stdout.len() < 5_000_000, "{} bytes of JSON", watched.output.stdout.len());
    let report = json(&watched.output);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("--max-documents"))
    );
    // The caps are flags: lower ones hold too.
    let keys: String = (0..50).map(|i| format!("k{i}: 1\n")).collect();
    write(&dir, "keys.yaml", format!("{CHANNEL}{keys}").as_bytes());
    let capped =
        json(&run_in(&dir, &["check", "keys.yaml", "--format", "json", "--max-findings-per-rule", "10"], None));
    let found = rules(&capped);
    assert_eq!(found.iter().filter(|r| *r == "AL108").count(), 10);
    assert_eq!(found.iter().filter(|r| *r == "AL004").count(), 1);
    let capped = json(&run_in(&dir, &["check", "keys.yaml", "--format", "json", "--max-findings", "5"], None));
    assert_eq!(rules(&capped).len(), 6, "five and the note");
    // Directives whose findings the cap left out are not called unused.
    let suppressed: String = (0..50).map(|i| format!("k{i}: 1 # apig-lint: ignore AL108 -- r\n")).collect();
    write(&dir, "suppressed.yaml", format!("{CHANNEL}{suppressed}").as_bytes());
    let args = ["check", "suppressed.yaml", "--format", "json", "--max-findings-per-rule", "10"];
    assert_eq!(rules(&json(&run_in(&dir, &args, None))), ["AL004"]);
    let _ = fs::remove_dir_all(dir);
}

/// Configuration, baseline and input files are read only when regular, and only so far.
#[cfg(unix)]
#[test]
fn special_files_are_refused_not_read() {
    let dir = temp_dir("special");
    write(&dir, "good.yaml", CHANNEL.as_bytes());
    let fifo = dir.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["check", "good.yaml", "--config", "/dev/zero"],
        vec!["check", "good.yaml", "--baseline", "/dev/zero"],
        vec!["check", "/dev/zero"],
        vec!["config", "--show", "--config", "/dev/zero"],
    ];
    if made {
        cases.push(vec!["check", "pipe.yaml", "good.yaml"]);
        cases.push(vec!["check", "good.yaml", "--config", "pipe.yaml"]);
        cases.push(vec!["check", "good.yaml", "--baseline", "pipe.yaml"]);
    }
    for args in cases {
        let watched = bounded(&dir, &args, 20, 256);
        assert_eq!(watched.output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&watched.output.stderr);
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    }
    let _ = fs::remove_dir_all(dir);
}

/// Findings that mean "not checked" survive every way of switching rules off.
#[test]
fn broken_files_never_pass() {
    let dir = temp_dir("never-pass");
    write(&dir, "broken.json", b"{ broken");
    write(&dir, "utf16.yaml", "name: x\n".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>());
    write(&dir, "empty.yaml", b"");
    write(&dir, "comments.yaml", b"# nothing here\n# at all\n");
    write(&dir, "dots.yaml", b"...\n");
    write(&dir, "formfeed.json", b"\x0c{\"name\": \"x\", \"member_type\": \"ip\"}");
    write(&dir, "merge.yaml", format!("{CHANNEL}<<: 5\n").as_bytes());
    let files =
        ["broken.json", "utf16.yaml", "empty.yaml", "comments.yaml", "dots.yaml", "formfeed.json", "merge.yaml"];
    for extra in [&["--select", "AL401"][..], &["--ignore", "AL108"], &[]] {
        for file in files {
            let out = run_in(&dir, &[&["check", file, "--format", "json"][..], extra].concat(), None);
            assert_eq!(out.status.code(), Some(1), "{file} {extra:?}: {}", stdout(&out));
            let found = rules(&json(&out));
            assert!(found.iter().any(|r| ["AL001", "AL002", "AL005"].contains(&r.as_str())), "{file}: {found:?}");
        }
    }
    for rule in ["AL001", "syntax-error", "AL005"] {
        let out = run_in(&dir, &["check", "broken.json", "--ignore", rule], None);
        assert_eq!(out.status.code(), Some(2), "--ignore {rule} is refused");
    }
    write(&dir, "apig-lint.toml", b"select = [\"AL401\"]\n");
    let out = run_in(&dir, &["check", "broken.json", "--format", "json"], None);
    assert_eq!(rules(&json(&out)), ["AL001"], "configuration select too");
    fs::remove_file(dir.join("apig-lint.toml")).unwrap();
    // A baseline neither records nor hides them.
    let two = "name: x\n---\n[: x\n";
    write(&dir, "stream.yaml", two.as_bytes());
    let out = run_in(&dir, &["check", "stream.yaml", "--write-baseline", "base.json"], None);
    assert_eq!(out.status.code(), Some(0));
    write(&dir, "stream.yaml", format!("{two}---\n{{a: [\n").as_bytes());
    let out = run_in(&dir, &["check", "stream.yaml", "--baseline", "base.json", "--format", "json"], None);
    let found = rules(&json(&out));
    assert!(found.iter().filter(|r| *r == "AL001").count() >= 2, "{found:?}");
    // A comment directive cannot hide them either.
    write(&dir, "directive.yaml", b"# apig-lint: ignore AL001 -- no\nname: [\n");
    let found = rules(&json(&run_in(&dir, &["check", "directive.yaml", "--format", "json"], None)));
    assert!(found.contains(&"AL001".to_owned()) && found.contains(&"AL009".to_owned()), "{found:?}");
    let _ = fs::remove_dir_all(dir);
}

/// With old Mac line ends a line suppression covers its line only, not the file.
#[test]
fn carriage_return_line_ends_keep_positions() {
    let dir = temp_dir("cr");
    let text = format!("{CHANNEL}a: 1 # apig-lint: ignore AL108 -- r\nb: 2\n").replace('\n', "\r");
    write(&dir, "mac.yaml", text.as_bytes());
    let report = json(&run_in(&dir, &["check", "mac.yaml", "--format", "json"], None));
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["pointer"], "/b");
    assert_eq!(diagnostics[0]["line"], 10);
    let _ = fs::remove_dir_all(dir);
}

/// A raised --max-depth, deep input, worker threads: nothing recurses on depth.
#[test]
fn deep_input_under_a_raised_depth_limit() {
    let dir = temp_dir("deep");
    let depth = 100_000;
    write(
        &dir,
        "deep.yaml",
        format!("member_type: ip\nx: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)).as_bytes(),
    );
    write(
        &dir,
        "deep-seq.yaml",
        format!("member_type: ip\nx: {}1{}\n", "[".repeat(depth), "]".repeat(depth)).as_bytes(),
    );
    write(&dir, "other.yaml", CHANNEL.as_bytes());
    let watched = bounded(
        &dir,
        &[
            "check",
            "deep.yaml",
            "deep-seq.yaml",
            "other.yaml",
            "--max-depth",
            "200000",
            "--threads",
            "2",
            "--format",
            "json",
        ],
        60,
        1024,
    );
    assert_eq!(watched.output.status.code(), Some(1), "{}", String::from_utf8_lossy(&watched.output.stderr));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn threads_are_capped() {
    let dir = temp_dir("threads");
    write(&dir, "a.yaml", CHANNEL.as_bytes());
    write(&dir, "b.yaml", CHANNEL.as_bytes());
    let watched = bounded(&dir, &["check", "a.yaml", "b.yaml", "--threads", "100000"], 30, 512);
    assert_eq!(watched.output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&watched.output.stderr).contains("using 256"));
    let _ = fs::remove_dir_all(dir);
}

/// Keys, values and file names cannot write terminal escapes, reorder text, or start a line.
#[test]
fn output_cannot_be_forged() {
    let dir = temp_dir("forge");
    let evil_key = "x\u{1b}]0;PWNED\u{7}\u{202e}\nevil.json:1:1: error[AL999] forged";
    let text = serde_json::json!({ "name": "x", "member_type": "ip", evil_key: 1, "y\u{fffe}\u{ffff}": 2 }).to_string();
    write(&dir, "keys.json", text.as_bytes());
    let mut files = vec!["keys.json".to_owned()];
    #[cfg(unix)]
    {
        let name = "a\nb.json:1:1: error[AL999] forged \u{1b}[31m\u{202e}.json";
        if fs::write(dir.join(name), br#"{"name": "x", "member_type": "ip", "zz": 1}"#).is_ok() {
            files.push(name.to_owned());
        }
    }
    for file in &files {
        for format in ["human", "concise", "github", "sarif", "junit", "gitlab", "json"] {
            let out = run_in(&dir, &["check", file, "--format", format, "--color", "never"], None);
            let text = stdout(&out);
            for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{fffe}', '\u{ffff}'] {
                assert!(!text.contains(bad), "{format} {file:?}: U+{:04X} in {text}", u32::from(bad));
            }
            assert!(
                !text.contains("\nevil.json:1:1") && !text.contains("\nb.json:1:1"),
                "{format}: a forged line: {text}"
            );
            if format == "concise" {
                assert!(
                    text.lines()
                        .all(|l| l.starts_with("keys.json:") || l.starts_with("a\\nb.json") || l.starts_with("Found")),
                    "{text}"
                );
            }
            if format == "junit" {
                assert!(!text.chars().any(|c| c < ' ' && !matches!(c, '\n' | '\r' | '\t')), "{text}");
            }
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// Non-UTF-8 names are read through the OS path and named so that two stay two.
#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = temp_dir("names");
    fs::write(dir.join(OsStr::from_bytes(b"a\xff.json")), br#"{"name": "x", "member_type": "ip", "k1": 1}"#).unwrap();
    fs::write(dir.join("a\u{FFFD}.json"), br#"{"name": "x", "member_type": "ip", "k2": 1}"#).unwrap();
    let out = run_in(&dir, &["check", ".", "--format", "json"], None);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    let mut seen: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "AL108")
        .map(|d| (d["file"].as_str().unwrap().to_owned(), d["pointer"].as_str().unwrap().to_owned()))
        .collect();
    seen.sort();
    assert_eq!(seen, [("a\\xFF.json".to_owned(), "/k1".to_owned()), ("a\u{FFFD}.json".to_owned(), "/k2".to_owned())]);
    let _ = fs::remove_dir_all(dir);
}

/// A directory the walk cannot enter (a path longer than PATH_MAX) is an IO error, exit 2.
#[cfg(target_os = "linux")]
#[test]
fn walk_errors_are_reported() {
    let dir = temp_dir("walk-errors");
    write(&dir, "good.yaml", CHANNEL.as_bytes());
    let segment = "d".repeat(250);
    let script = format!(
        "cd '{}' && for i in $(seq 20); do mkdir {segment} && cd {segment} || exit 1; done; echo '{{}}' > x.json",
        dir.display()
    );
    let made = std::process::Command::new("bash").arg("-c").arg(&script).status().is_ok_and(|s| s.success());
    assert!(made, "the deep tree is built");
    let out = run_in(&dir, &["check", "."], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot walk"), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::process::Command::new("rm").arg("-rf").arg(&dir).status();
}

/// A path named as a file is opened before it is looked at (one lookup of the path instead of
/// two); what it turns out to be must not change the report. A directory named `*.json` is
/// walked, a missing path and a FIFO are errors, each in the place its path has on the command
/// line, and a missing path that the configuration excludes is still an error.
#[test]
fn paths_named_as_files_are_what_they_turn_out_to_be() {
    let dir = temp_dir("named-paths");
    write(&dir, "good.yaml", CHANNEL.as_bytes());
    write(&dir, "folder.json/inner/b.json", br#"{"name": "in-a-folder", "port": 99999}"#);
    write(&dir, "apig-lint.toml", b"exclude = [\"excluded-gone.json\"]\n");
    let fifo = std::process::Command::new("mkfifo").arg(dir.join("fifo.json")).status().is_ok_and(|s| s.success());
    let args =
        ["check", "--format", "concise", "gone.json", "folder.json", "fifo.json", "excluded-gone.json", "good.yaml"];
    let out = run_in(&dir, &args, None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = stdout(&out);
    assert!(report.contains("folder.json/inner/b.json:1:"), "the directory is walked: {report}");
    assert!(report.contains("[AL104]"), "and its file checked: {report}");
    let errors: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("apig-lint: "))
        .map(str::to_owned)
        .collect();
    let mut expected = vec![
        "apig-lint: gone.json: no such file or directory".to_owned(),
        "apig-lint: excluded-gone.json: no such file or directory".to_owned(),
    ];
    if fifo {
        expected.push(
            "apig-lint: cannot read fifo.json: it is not a regular file (a FIFO, a device or a socket?)".to_owned(),
        );
    }
    assert_eq!(errors, expected, "errors of paths first, each in command-line order, then those of reading");
    let one_thread = run_in(&dir, &[&args[..], &["--threads", "1"]].concat(), None);
    assert_eq!((one_thread.stdout, one_thread.stderr), (out.stdout, out.stderr), "the same on one thread");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn outputs_never_overwrite_inputs() {
    let dir = temp_dir("overwrite");
    write(&dir, "a.yaml", CHANNEL.as_bytes());
    write(&dir, "apig-lint.toml", b"fail-level = \"error\"\n");
    for args in [
        &["check", "a.yaml", "-o", "a.yaml"][..],
        &["check", ".", "--output", "./a.yaml"],
        &["check", "a.yaml", "--write-baseline", "a.yaml"],
        &["check", "a.yaml", "-o", "apig-lint.toml"],
    ] {
        let out = run_in(&dir, args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("would overwrite"), "{args:?}");
    }
    assert_eq!(fs::read_to_string(dir.join("a.yaml")).unwrap(), CHANNEL);
    let _ = fs::remove_dir_all(dir);
}

/// A configuration above the repository root is not this repository's.
#[test]
fn configuration_lookup_stops_at_the_repository_root() {
    let dir = temp_dir("repo-root");
    write(&dir, "apig-lint.toml", b"exclude = [\"**\"]\n");
    for git in ["dir", "file"] {
        let repo = dir.join(format!("repo-{git}"));
        fs::create_dir_all(repo.join("channels")).unwrap();
        if git == "dir" {
            fs::create_dir_all(repo.join(".git")).unwrap();
        } else {
            fs::write(repo.join(".git"), "gitdir: ../elsewhere\n").unwrap();
        }
        fs::write(repo.join("channels/a.yaml"), format!("{CHANNEL}extra: 1\n")).unwrap();
        let out = run_in(&repo, &["check", "--format", "json"], None);
        assert_eq!(rules(&json(&out)), ["AL108"], "{git}: the planted configuration is ignored");
        let shown = stdout(&run_in(&repo, &["config", "--show"], None));
        assert!(shown.starts_with("# configuration file: none"), "{shown}");
    }
    let _ = fs::remove_dir_all(dir);
}
