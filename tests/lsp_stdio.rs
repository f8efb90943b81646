//! `apig-lint lsp` as an editor starts it: the built binary on stdio, with real `Content-Length`
//! framing, a malformed message in the middle, and the exit code the spec asks for.

use std::io::{BufRead, BufReader, Write};
use std::process::ChildStdin;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

#[test]
fn the_binary_speaks_framed_json_rpc_on_stdio() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apig-lint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the binary starts: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("piped"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("piped"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(message) = read_frame(&mut reader) {
            if tx.send(message).is_err() {
                break;
            }
        }
    });
    let next = || rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|e| panic!("no message: {e}"));
    let send = |stdin: &mut ChildStdin, body: Value| {
        stdin.write_all(&frame(&body.to_string())).unwrap_or_else(|e| panic!("{e}"))
    };

    // Garbage first: answered with a parse error, id null, and the server keeps reading.
    stdin.write_all(&frame("{not json")).unwrap_or_else(|e| panic!("{e}"));
    let parse_error = next();
    assert_eq!((parse_error["id"].clone(), parse_error["error"]["code"].clone()), (Value::Null, json!(-32700)));

    send(&mut stdin, json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
    let initialized = next();
    assert_eq!(initialized["result"]["capabilities"]["positionEncoding"], "utf-16");
    send(&mut stdin, json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let uri = "file:///nowhere/%E8%AE%A2%E5%8D%95.yaml";
    let text = "name: 订单服务\nport: 99999\nbalance_strategy: 1\nmember_type: ip\nvpc_channel_type: builtin\nmembers: [{host: 1.1.1.1}]\n";
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": { "textDocument": { "uri": uri, "languageId": "yaml", "version": 7, "text": text } } }),
    );
    let published = next();
    assert_eq!(published["method"], "textDocument/publishDiagnostics", "{published}");
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    assert_eq!((published["params"]["uri"].as_str(), published["params"]["version"].as_i64()), (Some(uri), Some(7)));
    let port = &published["params"]["diagnostics"][0];
    assert_eq!(published["params"]["diagnostics"].as_array().map(Vec::len), Some(1), "{published}");
    assert_eq!(
        (port["code"].as_str(), port["range"]["start"].clone()),
        (Some("AL104"), json!({ "line": 1, "character": 6 }))
    );

    send(&mut stdin, json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
    assert_eq!(next()["id"], 2);
    send(&mut stdin, json!({ "jsonrpc": "2.0", "method": "exit" }));
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(0), "exit after shutdown");

    // Exit without shutdown: 1.
    let mut child = Command::new(env!("CARGO_BIN_EXE_apig-lint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("the binary starts: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("piped"));
    for body in [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        json!({ "jsonrpc": "2.0", "method": "exit" }),
    ] {
        stdin.write_all(&frame(&body.to_string())).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(child.wait().map(|s| s.code()).unwrap_or_else(|e| panic!("{e}")), Some(1));
}
