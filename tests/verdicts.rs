//! No silent pass, and the right place and words (issue #8): what a user sees when a run checks
//! nothing, skips files, reads standard input, or meets a file that is not a channel.

mod common;

use std::fs;

use common::{json, root, run, run_in, stdout, temp_dir, write};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const CHANNEL: &str = "name: orders\nport: 8080\nbalance_strategy: 1\nmember_type: ip\nmembers:\n  - host: 10.0.0.1\n";

#[test]
fn a_run_that_checks_nothing_says_so_and_fails() {
    let dir = temp_dir("nothing");
    let empty = run_in(&dir, &["check", "."], None);
    assert_eq!(empty.status.code(), Some(2), "an empty directory is not a clean run");
    assert!(stderr(&empty).contains("no files to check"), "{}", stderr(&empty));
    write(&dir, "package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}");
    write(&dir, "apig-lint.toml", "include = [\"channelz/**\"]\n");
    write(&dir, "channels/orders.yaml", CHANNEL);
    let typo = run_in(&dir, &["check", "."], None);
    assert_eq!(typo.status.code(), Some(2), "a typo in include must not look like success: {}", stdout(&typo));
    let hook = run_in(&dir, &["check", "--channels-only", "package.json"], None);
    assert_eq!(hook.status.code(), Some(0), "the hook passes when no staged file is a channel");
    assert_eq!(stderr(&hook).lines().count(), 1, "with one line saying so: {}", stderr(&hook));
    assert!(stdout(&hook).is_empty());
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn skipped_files_are_counted_and_listed() {
    let dir = temp_dir("skipped");
    write(&dir, "orders.yaml", CHANNEL);
    write(&dir, "package.json", "{\"name\": \"web\", \"type\": \"module\"}");
    write(&dir, "legacy.json", "{\"name\": \"orders\", \"port\": 8080}");
    write(&dir, "typed.yaml", "name: x\ntype: 2\n");
    let out = json(&run_in(&dir, &["check", ".", "--format", "json"], None));
    assert_eq!(out["summary"]["files"], 3, "name+port and an integer type look like channels: {out:#}");
    assert_eq!(out["summary"]["skipped"], 1);
    let human = run_in(&dir, &["check", ".", "--show-skipped"], None);
    assert!(stdout(&human).contains("1 file skipped as not a VPC channel"), "{}", stdout(&human));
    assert!(stdout(&human).contains("skipped (not a VPC channel): package.json"), "{}", stdout(&human));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn configured_include_files_are_channels_without_sniffing() {
    let dir = temp_dir("include");
    write(&dir, "apig-lint.toml", "include = [\"channels/**\"]\n");
    write(&dir, "channels/odd.yaml", "owner: team-a\n");
    let out = json(&run_in(&dir, &["check", ".", "--format", "json"], None));
    assert_eq!(out["summary"]["files"], 1, "checked, not skipped: {out:#}");
    assert!(out["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == "AL101"));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn the_hook_never_blocks_an_unrelated_file() {
    let dir = temp_dir("hook");
    write(&dir, ".vscode/settings.json", "{\n  // tabs\n  \"editor.tabSize\": 2,\n}\n");
    write(&dir, "chart/templates/svc.yaml", "name: {{ .Values.name }}\n  {{- if .Values.tls }}\nport: 443\n");
    write(&dir, "broken.json", "{\"name\": \"orders\", \"balance_strategy\": 1,,}");
    let args = ["check", "--channels-only", ".vscode/settings.json", "chart/templates/svc.yaml"];
    let clean = run_in(&dir, &args, None);
    assert_eq!(clean.status.code(), Some(0), "{}{}", stdout(&clean), stderr(&clean));
    let blocked = run_in(&dir, &["check", "--channels-only", ".vscode/settings.json", "broken.json"], None);
    assert_eq!(blocked.status.code(), Some(1), "a broken channel still blocks");
    assert!(stdout(&blocked).contains("AL001"));
    write(&dir, "apig-lint.toml", "include = [\"channels/**\"]\n");
    write(&dir, "tools/orders.yaml", "name: orders\nport: 8080\nbalance_strategy: 9\n");
    let outside = run_in(&dir, &["check", "--channels-only", "tools/orders.yaml"], None);
    assert_eq!(outside.status.code(), Some(0), "outside a configured include, the hook skips it");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn standard_input_without_a_name_is_sniffed() {
    let json_text = b"  {\"name\": \"orders\", \"port\": 8080,}";
    let out = run_in(&root(), &["check", "-", "--format", "concise"], Some(json_text));
    assert!(stdout(&out).contains("trailing commas"), "strict JSON: {}", stdout(&out));
    let named = run_in(&root(), &["check", "--stdin-filename", "orders.yaml"], Some(CHANNEL.as_bytes()));
    assert_eq!(named.status.code(), Some(0), "--stdin-filename alone reads standard input: {}", stderr(&named));
    let misuse = run(&["check", "--stdin-filename", "x.yaml", "samples/valid"]);
    assert_eq!(misuse.status.code(), Some(2));
}

#[test]
fn small_usage_rules() {
    assert_eq!(
        run(&["check", "--select", "AL401", "--ignore", "timeout-above-interval", "samples/valid"]).status.code(),
        Some(2)
    );
    let config = run(&["config"]);
    assert_eq!(config.status.code(), Some(0));
    assert!(stdout(&config).contains("Usage: config"), "{}", stdout(&config));
    assert_eq!(run(&["config", "--show", "no/such/dir"]).status.code(), Some(2));
}

#[test]
fn findings_without_a_snippet_name_their_file() {
    let dir = temp_dir("names");
    write(&dir, "empty.yaml", "");
    let out = stdout(&run_in(&dir, &["check", "empty.yaml"], None));
    assert!(out.contains("empty.yaml: the file is empty"), "{out}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn findings_point_at_the_offending_character_and_name_it() {
    let dir = temp_dir("chars");
    write(
        &dir,
        "c.yaml",
        "name: 订单（主）\nport: 8080\nbalance_strategy: 1\nmember_type: ip\nmembers:\n  - host: 10.0.0.1\n",
    );
    write(&dir, "tab.yaml", "name: orders\nvpc_health_config:\n\tprotocol: TCP\n");
    let out = json(&run_in(&dir, &["check", "c.yaml", "tab.yaml", "--format", "json"], None));
    let find = |rule: &str| out["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == rule).cloned().unwrap();
    let pattern = find("AL106");
    assert_eq!(
        (pattern["line"].as_u64(), pattern["column"].as_u64(), pattern["length"].as_u64()),
        (Some(1), Some(9), Some(3))
    );
    assert!(pattern["message"].as_str().unwrap().contains("U+FF08 FULLWIDTH LEFT PARENTHESIS"));
    let tab = find("AL001");
    assert_eq!((tab["line"].as_u64(), tab["column"].as_u64()), (Some(3), Some(1)), "the caret is on the tab");
    assert!(tab["help"].as_str().unwrap().contains("tabs"), "{tab}");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn null_required_values_are_reported_where_they_are_written() {
    let dir = temp_dir("null");
    write(
        &dir,
        "n.yaml",
        "name: orders\nport: null\nbalance_strategy: 1\nmember_type: ip\nvpc_channel_type: builtin\nmembers: null\n",
    );
    let out = json(&run_in(&dir, &["check", "n.yaml", "--format", "json"], None));
    let at = |rule: &str| {
        let d = out["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == rule).cloned().unwrap();
        (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    assert_eq!(at("AL101"), (2, 7), "at the null");
    assert_eq!(at("AL205"), (6, 1), "members: null at its key");
    let _ = fs::remove_dir_all(dir);
}

/// A document after a broken one keeps its position in the stream (issue #15), so `document` in
/// reports and baselines does not shift when an earlier document breaks.
#[test]
fn documents_are_numbered_by_their_place_in_the_stream() {
    let dir = temp_dir("stream");
    let stream = "name: a\nport: 1\nbalance_strategy: 1\nmember_type: ip\n---\nname: [unclosed\n---\n\
                  name: c\nport: 99999\nbalance_strategy: 1\nmember_type: ip\n";
    write(&dir, "m.yaml", stream);
    let out = json(&run_in(&dir, &["check", "m.yaml", "--format", "json"], None));
    let of = |rule: &str| -> Vec<u64> {
        out["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["document"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(of("AL001"), [1], "the broken document is the second");
    assert_eq!(of("AL104"), [2], "the one after it is the third, not the second");
    let _ = fs::remove_dir_all(dir);
}

/// A channel saved as UTF-16, or a top-level array of channels, is reported by walks and the hook
/// instead of being skipped as "not a channel" (found in a new user's trial).
#[test]
fn unreadable_channels_are_reported_not_skipped() {
    let dir = temp_dir("utf16");
    let channel = "{\"name\": \"orders\", \"port\": 80, \"balance_strategy\": 9, \"member_type\": \"ip\"}";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(channel.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.join("c16.json"), &utf16).unwrap();
    write(&dir, "list.json", format!("[{channel}]"));
    for file in ["c16.json", "list.json"] {
        let hook = run_in(&dir, &["check", "--channels-only", file, "--format", "concise"], None);
        assert_eq!(hook.status.code(), Some(1), "{file} blocks the hook: {}", stdout(&hook));
    }
    let walked = json(&run_in(&dir, &["check", ".", "--format", "json"], None));
    let rules: Vec<&str> =
        walked["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["rule"].as_str()).collect();
    assert!(rules.contains(&"AL002") && rules.contains(&"AL006"), "{rules:?}");
    let _ = fs::remove_dir_all(dir);
}

/// A tab that breaks the indentation is pointed at, also when the parser stops at the end of the
/// line before it.
#[test]
fn a_tab_is_reported_on_its_own_line() {
    let dir = temp_dir("tab-next-line");
    write(&dir, "t.yaml", "name: orders\nvpc_health_config:\n  threshold_normal: 2\n\tthreshold_abnormal: 2\n");
    let out = json(&run_in(&dir, &["check", "t.yaml", "--format", "json"], None));
    let d = &out["diagnostics"][0];
    assert_eq!((d["rule"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("AL001"), Some(4), Some(1)));
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_merged_mapping_is_read_as_a_yaml_reader_reads_it() {
    // `port` comes in through `<<` from a mapping that defines it twice: a YAML reader keeps the
    // last (70000, out of range), so that is the value checked, and no other.
    let dir = temp_dir("merged-duplicate");
    let yaml = "base: &base\n  port: 8080\n  port: 70000\n<<: *base\nname: orders\nbalance_strategy: 1\nmember_type: ip\nmembers:\n  - host: 10.0.0.1\n";
    write(&dir, "orders.yaml", yaml);
    let output = run_in(&dir, &["check", "--format", "json", "--select", "AL104", "orders.yaml"], None);
    let report = json(&output);
    let ranges: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "AL104")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(ranges.len(), 1, "{report}");
    assert!(ranges[0].contains("70000"), "{report}");
    let _ = fs::remove_dir_all(dir);
}
