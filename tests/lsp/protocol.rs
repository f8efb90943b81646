//! Diagnostics, encodings, settings and the protocol's edges.

use apig_lint::lsp::Exit;
use serde_json::{Value, json};

use crate::client::{Client, capabilities, position, scratch, uri};

/// A channel with a deprecated `type`, a bad host with CJK and an emoji before a wrong-typed
/// weight on one line, and a timeout above its interval.
pub const CHANNEL: &str = "name: orders\nport: 8080\nbalance_strategy: 1\nmember_type: ip\ntype: 2\nmembers:\n  - {host: \"订单😀.example\", weight: \"x\"}\nvpc_health_config:\n  protocol: TCP\n  threshold_normal: 2\n  threshold_abnormal: 5\n  time_interval: 5\n  timeout: 30\n";

pub const CLEAN: &str = "name: orders\nport: 8080\nbalance_strategy: 1\nmember_type: ip\nvpc_channel_type: builtin\nmembers:\n  - host: 192.168.0.5\n";

fn by_code<'a>(published: &'a Value, code: &str) -> &'a Value {
    published["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {published:#}"))
}

#[test]
fn columns_after_cjk_and_astral_characters_in_utf16_and_utf8() {
    let dir = scratch("encodings");
    let file = uri(&dir.join("orders.yaml"));
    // `  - {host: "订单😀.example", weight: "x"}`: 34 characters before "x", the emoji two UTF-16
    // units, the CJK characters three UTF-8 bytes each and the emoji four.
    for (utf8, negotiated, column) in [(false, "utf-16", 35), (true, "utf-8", 41)] {
        let mut client = Client::start(capabilities(utf8, false), json!({}));
        assert_eq!(client.initialize_result["capabilities"]["positionEncoding"], negotiated);
        client.open(&file, "yaml", CHANNEL);
        let published = client.diagnostics(&file);
        let weight = by_code(&published, "AL102");
        assert_eq!(weight["range"]["start"], position(6, column), "{negotiated}");
        assert_eq!(weight["range"]["end"], position(6, column + 3), "{negotiated}");
        // The host value starts before any wide character: the same column in both.
        assert_eq!(by_code(&published, "AL303")["range"]["start"], position(6, 11));
        // Hover at the weight's value column finds the finding there.
        let hover = client.call(
            "textDocument/hover",
            json!({ "textDocument": { "uri": file }, "position": position(6, column + 1) }),
        );
        assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("AL102")), "{hover:#}");
        assert_eq!(client.finish(true), Exit::AfterShutdown);
    }
}

#[test]
fn diagnostics_carry_code_source_severity_tags_and_related_information() {
    let dir = scratch("fields");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::utf16();
    client.open(&file, "yaml", CHANNEL);
    let published = client.diagnostics(&file);
    assert_eq!(published["version"], 1);
    let deprecated = by_code(&published, "AL202");
    assert_eq!(deprecated["source"], "apig-lint");
    assert_eq!(deprecated["severity"], 2);
    assert_eq!(deprecated["tags"], json!([2]), "Deprecated");
    let timeout = by_code(&published, "AL401");
    assert_eq!(timeout["severity"], 1);
    let related = &timeout["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], file.as_str());
    assert_eq!(related["location"]["range"]["start"], position(11, 17), "the time_interval value");
    // The file's URI depends on where the repository is checked out: the snapshot names it `{file}`.
    let shown = serde_json::to_string(&published["diagnostics"]).unwrap().replace(file.as_str(), "{file}");
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    insta::assert_json_snapshot!("diagnostics", shown);
    client.finish(true);
}

#[test]
fn ignored_and_unknown_fields_are_unnecessary() {
    let dir = scratch("unnecessary");
    let file = uri(&dir.join("c.yaml"));
    let mut client = Client::utf16();
    let text = format!("{CLEAN}microservice_info:\n  service_type: CSE\nfrobnicate: 1\n");
    client.open(&file, "yaml", &text);
    let published = client.diagnostics(&file);
    for code in ["AL207", "AL108"] {
        assert_eq!(by_code(&published, code)["tags"], json!([1]), "{code}: {published:#}");
    }
    client.finish(true);
}

#[test]
fn versioned_publish_empty_when_clean_cleared_on_close() {
    let dir = scratch("lifecycle");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::utf16();
    client.open(&file, "yaml", CLEAN);
    let published = client.diagnostics(&file);
    assert_eq!((published["version"].clone(), published["diagnostics"].clone()), (json!(1), json!([])));
    client.change(&file, 2, CHANNEL);
    let published = client.diagnostics(&file);
    assert_eq!(published["version"], 2);
    assert!(!published["diagnostics"].as_array().is_none_or(Vec::is_empty));
    client.change(&file, 3, CLEAN);
    assert_eq!(client.diagnostics(&file)["diagnostics"], json!([]));
    // A line being typed that does not parse yet: a syntax error, reported, not a crash.
    client.change(&file, 4, &format!("{CLEAN}vpc_health_config:\n  protocol: [\n"));
    assert_eq!(by_code(&client.diagnostics(&file), "AL001")["severity"], 1);
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": file } }));
    assert_eq!(client.diagnostics(&file)["version"], 4);
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": file } }));
    let cleared = client.diagnostics(&file);
    assert_eq!(cleared["diagnostics"], json!([]));
    client.finish(true);
}

#[test]
fn files_that_are_not_channels_get_nothing() {
    let dir = scratch("foreign");
    let mut client = Client::utf16();
    let package = uri(&dir.join("package.json"));
    client.open(&package, "json", "{\"name\": \"x\", \"version\": \"1.0.0\", \"scripts\": {\"build\": \"tsc\"}}");
    assert_eq!(client.diagnostics(&package)["diagnostics"], json!([]));
    let workflow = uri(&dir.join(".github/workflows/ci.yml"));
    client.open(
        &workflow,
        "yaml",
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
    );
    assert_eq!(client.diagnostics(&workflow)["diagnostics"], json!([]));
    client.finish(true);
}

#[test]
fn settings_are_found_per_file_honoured_and_reapplied_when_they_change() {
    let dir = scratch("settings");
    std::fs::create_dir_all(dir.join("channels/legacy")).unwrap_or_else(|e| panic!("{e}"));
    let config = dir.join("apig-lint.toml");
    std::fs::write(&config, "exclude = [\"channels/legacy/**\"]\n[rules]\ndeprecated-type-field = \"off\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let file = uri(&dir.join("channels/orders.yaml"));
    let legacy = uri(&dir.join("channels/legacy/old.yaml"));
    let mut client = Client::utf16();
    client.open(&file, "yaml", CHANNEL);
    let published = client.diagnostics(&file);
    let codes: Vec<&Value> = published["diagnostics"].as_array().into_iter().flatten().map(|d| &d["code"]).collect();
    assert!(!codes.contains(&&json!("AL202")) && codes.contains(&&json!("AL401")), "{codes:?}");
    client.open(&legacy, "yaml", CHANNEL);
    assert_eq!(client.diagnostics(&legacy)["diagnostics"], json!([]), "excluded");
    // A nearer configuration for one directory, then the root one changes: both re-applied.
    std::fs::write(&config, "[rules]\ntimeout-above-interval = \"warning\"\n").unwrap_or_else(|e| panic!("{e}"));
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }));
    let mut again = [
        client.expect_notification("textDocument/publishDiagnostics"),
        client.expect_notification("textDocument/publishDiagnostics"),
    ];
    if again[0]["uri"] != file.as_str() {
        again.swap(0, 1);
    }
    assert_eq!(by_code(&again[0], "AL401")["severity"], 2, "now a warning");
    assert_eq!(by_code(&again[0], "AL202")["severity"], 2, "back on");
    assert!(by_code(&again[1], "AL202")["severity"].is_number(), "no longer excluded");
    client.finish(true);
}

#[test]
fn include_makes_a_file_a_channel_without_sniffing() {
    let dir = scratch("include");
    std::fs::write(dir.join("apig-lint.toml"), "include = [\"*.yaml\"]\n").unwrap_or_else(|e| panic!("{e}"));
    let mut client = Client::utf16();
    let inside = uri(&dir.join("team.yaml"));
    client.open(&inside, "yaml", "name: team\nmembers: [a]\n");
    assert!(!client.diagnostics(&inside)["diagnostics"].as_array().is_none_or(Vec::is_empty));
    let outside = uri(&dir.join("other.yml"));
    client.open(&outside, "yaml", CHANNEL);
    assert_eq!(client.diagnostics(&outside)["diagnostics"], json!([]), "outside include");
    client.finish(true);
}

#[test]
fn run_on_save_lints_on_open_and_save_only() {
    let dir = scratch("on-save");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::start(capabilities(false, false), json!({ "run": "onSave" }));
    client.open(&file, "yaml", CLEAN);
    assert_eq!(client.diagnostics(&file)["diagnostics"], json!([]));
    client.change(&file, 2, CHANNEL);
    assert_eq!(client.published_since(), 0, "nothing while typing");
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": file } }));
    let published = client.diagnostics(&file);
    assert_eq!(published["version"], 2);
    by_code(&published, "AL401");
    client.finish(true);
}

#[test]
fn a_client_that_pulls_gets_diagnostics_on_request_and_none_pushed() {
    let dir = scratch("pull");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::start(capabilities(false, true), json!({}));
    assert_eq!(client.initialize_result["capabilities"]["diagnosticProvider"]["identifier"], "apig-lint");
    client.open(&file, "yaml", CHANNEL);
    assert_eq!(client.published_since(), 0);
    let report = client.call("textDocument/diagnostic", json!({ "textDocument": { "uri": file } }));
    assert_eq!(report["kind"], "full");
    assert!(report["items"].as_array().is_some_and(|items| items.iter().any(|d| d["code"] == "AL401")));
    client.change(&file, 2, CLEAN);
    let report = client.call("textDocument/diagnostic", json!({ "textDocument": { "uri": file } }));
    assert_eq!((report["items"].clone(), report["resultId"].clone()), (json!([]), json!("2")));
    client.finish(true);
}

#[test]
fn errors_are_answered_and_the_server_keeps_running() {
    let dir = scratch("robust");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::start(capabilities(false, false), json!({ "testPanics": true }));
    let unknown = client.request("textDocument/frobnicate", json!({}));
    assert_eq!(unknown.error.map(|e| e.code), Some(-32601), "MethodNotFound");
    let malformed = client.request("textDocument/hover", json!({ "textDocument": 42 }));
    assert_eq!(malformed.error.map(|e| e.code), Some(-32602), "InvalidParams");
    let never_opened = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&dir.join("never.yaml")) }, "position": position(0, 0) }),
    );
    assert_eq!(never_opened.error.map(|e| e.code), Some(-32602));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere.yaml", "version": 2 }, "contentChanges": [] }),
    );
    client.notify("textDocument/didOpen", json!({ "bogus": true }));
    let panicked = client.request("apig-lint/panic", json!({}));
    assert_eq!(panicked.error.map(|e| e.code), Some(-32603), "InternalError");
    // Still serving.
    client.open(&file, "yaml", CLEAN);
    assert_eq!(client.diagnostics(&file)["diagnostics"], json!([]));
    assert_eq!(client.finish(true), Exit::AfterShutdown);
}

#[test]
fn exit_without_shutdown_is_a_failure_and_requests_after_shutdown_are_refused() {
    assert_eq!(Client::utf16().finish(false), Exit::WithoutShutdown);
    let mut client = Client::utf16();
    assert_eq!(client.request("shutdown", Value::Null).result, Some(Value::Null));
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(late.error.map(|e| e.code), Some(-32600), "InvalidRequest");
    client.notify("exit", Value::Null);
    assert_eq!(client.finish(false), Exit::AfterShutdown);
}
