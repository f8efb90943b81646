//! A scripted LSP client: sends requests and notifications, collects what the server sends.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use apig_lint::lsp::{self, Exit};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

/// A response, as the tests look at it.
pub struct Reply {
    pub result: Option<Value>,
    pub error: Option<lsp_server::ResponseError>,
}

pub struct Client {
    pub connection: Connection,
    server: Option<JoinHandle<Result<Exit, String>>>,
    next: i32,
    /// Notifications and server requests not yet looked at, in arrival order.
    pub inbox: Vec<Message>,
    pub initialize_result: Value,
}

const WAIT: Duration = Duration::from_secs(30);

/// Client capabilities: UTF-16 only unless `utf8`, push diagnostics unless `pull`.
pub fn capabilities(utf8: bool, pull: bool) -> Value {
    let mut caps = json!({
        "general": { "positionEncodings": if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) } },
        "textDocument": { "publishDiagnostics": { "relatedInformation": true, "versionSupport": true } },
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
    });
    if pull {
        caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
    }
    caps
}

impl Client {
    pub fn start(capabilities: Value, options: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || lsp::run(&server_side));
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next: 0,
            inbox: Vec::new(),
            initialize_result: Value::Null,
        };
        let result = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options }),
        );
        client.initialize_result = result.result.unwrap_or(Value::Null);
        client.notify("initialized", json!({}));
        client
    }

    pub fn utf16() -> Client {
        Client::start(capabilities(false, false), json!({}))
    }

    pub fn notify(&self, method: &str, params: Value) {
        // After `exit` the server is gone; what is sent then goes nowhere.
        let _ = self.connection.sender.send(Notification::new(method.to_owned(), params).into());
    }

    pub fn request(&mut self, method: &str, params: Value) -> Reply {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.connection
            .sender
            .send(Request::new(id.clone(), method.to_owned(), params).into())
            .unwrap_or_else(|e| panic!("{e}"));
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => {
                    return match response.response_result {
                        Ok(result) => Reply { result: Some(result), error: None },
                        Err(error) => Reply { result: None, error: Some(error) },
                    };
                }
                other => self.inbox.push(other),
            }
        }
    }

    /// The result of a request that must succeed.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        if let Some(error) = response.error {
            panic!("{method} failed: {error:?}");
        }
        response.result.unwrap_or(Value::Null)
    }

    fn receive(&self) -> Message {
        match self.connection.receiver.recv_timeout(WAIT) {
            Ok(Message::Request(request)) => {
                // Server requests (registration, refresh) are answered at once.
                let _ = self.connection.sender.send(Response::new_ok(request.id.clone(), Value::Null).into());
                Message::Request(request)
            }
            Ok(message) => message,
            Err(e) => panic!("no message from the server within {WAIT:?}: {e}"),
        }
    }

    /// The next notification of `method` (earlier ones of other methods stay in the inbox).
    pub fn expect_notification(&mut self, method: &str) -> Value {
        if let Some(at) = self.inbox.iter().position(|m| matches!(m, Message::Notification(n) if n.method == method))
            && let Message::Notification(n) = self.inbox.remove(at)
        {
            return n.params;
        }
        loop {
            match self.receive() {
                Message::Notification(n) if n.method == method => return n.params,
                other => self.inbox.push(other),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let params = self.expect_notification("textDocument/publishDiagnostics");
            if params["uri"] == uri {
                return params;
            }
        }
    }

    /// Were any diagnostics published that were not looked at yet? (Waits briefly for stragglers
    /// by sending a request: the server answers in order.)
    pub fn published_since(&mut self) -> usize {
        let _ = self.request("apig-lint/ping", json!({}));
        let count = self
            .inbox
            .iter()
            .filter(|m| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"))
            .count();
        self.inbox.retain(|m| !matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics"));
        count
    }

    pub fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    pub fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// Shuts down (unless `shutdown` is false) and exits; returns how the server stopped.
    pub fn finish(mut self, shutdown: bool) -> Exit {
        if shutdown {
            let response = self.request("shutdown", Value::Null);
            assert_eq!(response.result, Some(Value::Null));
        }
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap_or_else(|| panic!("started"));
        server.join().unwrap_or_else(|_| panic!("the server thread panicked")).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// A scratch repository (a `.git` directory stops configuration discovery) under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap_or_else(|e| panic!("{e}"));
    dir
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

pub fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

/// `(line, character)` of a text's `|` marker (UTF-16 columns), and the text without it.
pub fn marked(text: &str) -> (String, Value) {
    let at = text.find('|').unwrap_or_else(|| panic!("no | in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count() as u32;
    (text.replacen('|', "", 1), position(line, column))
}
