//! Hover, completion, go to definition, the outline and code actions.

use serde_json::{Value, json};

use crate::client::{Client, marked, position, scratch, uri};
use crate::protocol::{CHANNEL, CLEAN};

fn hover(client: &mut Client, file: &str, at: Value) -> String {
    let result = client.call("textDocument/hover", json!({ "textDocument": { "uri": file }, "position": at }));
    result["contents"]["value"].as_str().unwrap_or_default().to_owned()
}

fn labels(result: &Value) -> Vec<String> {
    result["items"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(str::to_owned)).collect()
}

fn complete(client: &mut Client, file: &str, language: &str, marked_text: &str) -> Value {
    let (text, at) = marked(marked_text);
    client.open(file, language, &text);
    let result = client.call("textDocument/completion", json!({ "textDocument": { "uri": file }, "position": at }));
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": file } }));
    result
}

#[test]
fn hover_on_a_key_a_value_and_a_finding() {
    let dir = scratch("hover");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::utf16();
    client.open(&file, "yaml", &CLEAN.replace("balance_strategy: 1", "balance_strategy: 2"));
    let key = hover(&mut client, &file, position(2, 3));
    for expected in [
        "`balance_strategy`",
        "integer",
        "required",
        "one of `1`, `2`, `3`, `4`",
        "default `1`",
        "Distribution algorithm",
    ] {
        assert!(key.contains(expected), "{expected} in {key}");
    }
    let port = hover(&mut client, &file, position(1, 1));
    assert!(port.contains("from 1 to 65535"), "{port}");
    let value = hover(&mut client, &file, position(2, 18));
    assert!(value.starts_with("`balance_strategy`: 2 weighted least connections"), "{value}");
    let member = hover(&mut client, &file, position(6, 5));
    assert!(member.contains("`host`"), "{member}");
    client.change(&file, 2, CHANNEL);
    let finding = hover(&mut client, &file, position(12, 12));
    for expected in ["AL401", "timeout-above-interval", "## Why", "`timeout`"] {
        assert!(finding.contains(expected), "{expected} in {finding}");
    }
    let nothing =
        client.call("textDocument/hover", json!({ "textDocument": { "uri": file }, "position": position(40, 0) }));
    assert_eq!(nothing, Value::Null);
    client.finish(true);
}

#[test]
fn completion_offers_missing_keys_of_the_object_at_the_cursor() {
    let dir = scratch("complete");
    let mut client = Client::utf16();
    let yaml = uri(&dir.join("c.yaml"));
    // Top level: what is not there yet, required fields first.
    let top = labels(&complete(&mut client, &yaml, "yaml", "name: a\nport: 1\n|\n"));
    assert_eq!(top.first().map(String::as_str), Some("balance_strategy"), "{top:?}");
    assert!(!top.contains(&"name".to_owned()) && top.contains(&"vpc_health_config".to_owned()), "{top:?}");
    // In a member, while the line does not parse: member fields only, minus those present.
    let member =
        labels(&complete(&mut client, &yaml, "yaml", "name: a\nmembers:\n  - host: 1.1.1.1\n    we|\n    port: 80\n"));
    assert!(member.contains(&"weight".to_owned()) && !member.contains(&"host".to_owned()), "{member:?}");
    assert!(!member.contains(&"port".to_owned()) && !member.contains(&"balance_strategy".to_owned()), "{member:?}");
    // Enum values at a value position.
    let values = complete(&mut client, &yaml, "yaml", "name: a\nvpc_health_config:\n  protocol: |\n");
    assert_eq!(labels(&values), ["TCP", "HTTP", "HTTPS"]);
    let strategy = complete(&mut client, &yaml, "yaml", "balance_strategy: |\n");
    let item = &strategy["items"][1];
    assert_eq!((item["label"].as_str(), item["detail"].as_str()), (Some("2"), Some("2 weighted least connections")));
    // JSON: keys (quoted edit over the typed quote pair) and string values quoted.
    let json_file = uri(&dir.join("c.json"));
    let keys = complete(
        &mut client,
        &json_file,
        "json",
        "{\"name\": \"a\", \"vpc_health_config\": {\"protocol\": \"TCP\", \"|\"}}",
    );
    let labels_in_check = labels(&keys);
    assert!(labels_in_check.contains(&"time_interval".to_owned()) && !labels_in_check.contains(&"protocol".to_owned()));
    let first = &keys["items"][0]["textEdit"];
    assert!(first["newText"].as_str().is_some_and(|t| t.starts_with('"') && t.ends_with("\": ")), "{first}");
    assert_eq!(first["range"]["start"], position(0, 55));
    assert_eq!(first["range"]["end"], position(0, 57), "the closing quote too");
    let member_type = complete(&mut client, &json_file, "json", "{\"member_type\": |");
    assert_eq!(member_type["items"][0]["textEdit"]["newText"], "\"ip\"");
    client.finish(true);
}

#[test]
fn definition_goes_from_a_member_to_its_group_and_symbols_outline_the_channel() {
    let dir = scratch("navigate");
    let file = uri(&dir.join("orders.yaml"));
    let text = std::fs::read_to_string(apig_lint_root().join("samples/valid/builtin-ip.yaml")).unwrap_or_default();
    let mut client = Client::utf16();
    client.open(&file, "yaml", &text);
    // `    member_group_name: standby` of the third member (line 24) → the second group (line 10).
    let line = text.lines().position(|l| l.contains("is_backup")).unwrap_or_default() as u32 + 1;
    let target = client
        .call("textDocument/definition", json!({ "textDocument": { "uri": file }, "position": position(line, 26) }));
    assert_eq!(target["uri"], file.as_str());
    let group_line = text.lines().position(|l| l.contains("member_group_name: standby")).unwrap_or_default() as u32;
    assert_eq!(target["range"]["start"], position(group_line, 23));
    let symbols = client.call("textDocument/documentSymbol", json!({ "textDocument": { "uri": file } }));
    let names: Vec<&str> = symbols.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert!(names.contains(&"members") && names.contains(&"vpc_health_config"), "{names:?}");
    let members =
        symbols.as_array().into_iter().flatten().find(|s| s["name"] == "members").cloned().unwrap_or_default();
    let hosts: Vec<&str> =
        members["children"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(hosts, ["192.168.0.5", "192.168.0.6", "backend-standby.internal"]);
    client.finish(true);
}

fn apig_lint_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn suppress_with_a_reason_writes_a_comment_in_yaml_and_shows_an_entry_for_json() {
    let dir = scratch("suppress");
    let file = uri(&dir.join("orders.yaml"));
    let mut client = Client::utf16();
    client.open(&file, "yaml", CHANNEL);
    client.diagnostics(&file);
    let actions = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": file }, "range": { "start": position(12, 12), "end": position(12, 12) },
                "context": { "diagnostics": [] } }),
    );
    let suppress = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Suppress AL401")))
        .cloned()
        .unwrap_or_else(|| panic!("no suppress action in {actions:#}"));
    assert_eq!(suppress["kind"], "quickfix");
    let edit = &suppress["edit"]["changes"][file.as_str()][0];
    assert_eq!(edit["newText"], "  # apig-lint: ignore AL401 -- \n");
    assert_eq!(edit["range"]["start"], position(12, 0));
    // Applied with a reason, the finding is gone.
    let mut lines: Vec<&str> = CHANNEL.lines().collect();
    lines.insert(12, "  # apig-lint: ignore AL401 -- the backend answers slowly on purpose");
    client.change(&file, 2, &(lines.join("\n") + "\n"));
    let published = client.diagnostics(&file);
    assert!(published["diagnostics"].as_array().into_iter().flatten().all(|d| d["code"] != "AL401"), "{published:#}");

    let json_file = uri(&dir.join("orders.json"));
    client.open(&json_file, "json", "{\"name\": \"orders\", \"port\": 8080, \"balance_strategy\": 9, \"member_type\": \"ip\", \"vpc_channel_type\": \"builtin\", \"members\": [{\"host\": \"1.1.1.1\"}]}");
    client.diagnostics(&json_file);
    let actions = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": json_file }, "range": { "start": position(0, 53), "end": position(0, 53) },
                "context": { "diagnostics": [], "only": ["quickfix"] } }),
    );
    let action = &actions[0];
    assert!(action.get("edit").is_none(), "nothing written: {action:#}");
    let command = &action["command"];
    assert_eq!(command["command"], "apig-lint.showSuppressEntry");
    let entry = command["arguments"][0].as_str().unwrap_or_default();
    assert_eq!(
        entry,
        "[[suppress]]\npath = \"orders.json\"\nrule = \"AL103\"\npointer = \"/balance_strategy\"\nreason = \"\"\n"
    );
    client
        .call("workspace/executeCommand", json!({ "command": command["command"], "arguments": command["arguments"] }));
    let shown = client.expect_notification("window/showMessage");
    assert!(shown["message"].as_str().is_some_and(|m| m.contains("[[suppress]]")));
    client.finish(true);
}

#[test]
fn the_deprecated_type_has_a_preferred_quick_fix_and_fix_all_applies_safe_fixes() {
    let dir = scratch("quick-fix");
    let file = uri(&dir.join("orders.yaml"));
    let text =
        "name: 订单服务\nport: 8080\nbalance_strategy: 1\nmember_type: ip\ntype: 2\nmembers:\n  - host: 192.168.0.5\n";
    let mut client = Client::utf16();
    client.open(&file, "yaml", text);
    let published = client.diagnostics(&file);
    let deprecated = &published["diagnostics"][0];
    assert_eq!(deprecated["code"], "AL202");
    assert_eq!(deprecated["data"]["fix"]["applicability"], "safe");
    let actions = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": file }, "range": deprecated["range"],
                "context": { "diagnostics": [deprecated], "only": ["quickfix"] } }),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "replace `type: 2` with `vpc_channel_type: builtin`");
    assert_eq!((fix["kind"].as_str(), fix["isPreferred"].as_bool()), (Some("quickfix"), Some(true)));
    let edits = &fix["edit"]["changes"][file.as_str()];
    assert_eq!(
        edits,
        &json!([
            { "range": { "start": position(4, 0), "end": position(4, 4) }, "newText": "vpc_channel_type" },
            { "range": { "start": position(4, 6), "end": position(4, 7) }, "newText": "builtin" },
        ])
    );
    assert!(actions[1]["title"].as_str().is_some_and(|t| t.starts_with("Suppress AL202")), "{actions:#}");
    let all = client.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": file }, "range": { "start": position(0, 0), "end": position(0, 0) },
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all:#}");
    assert_eq!(all[0]["kind"], "source.fixAll.apig-lint");
    let edit = &all[0]["edit"]["changes"][file.as_str()][0];
    assert_eq!(edit["newText"], text.replace("type: 2", "vpc_channel_type: builtin"));
    assert_eq!(edit["range"]["end"], position(7, 0));
    // Applied, the document is clean.
    client.change(&file, 2, edit["newText"].as_str().unwrap_or_default());
    assert_eq!(client.diagnostics(&file)["diagnostics"], json!([]));
    client.finish(true);
}
