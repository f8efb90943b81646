//! `apig-lint lsp`: the language server on standard input and output, with `Content-Length`
//! framing. The transport is ours rather than `lsp_server::Connection::stdio`, whose reader stops
//! at the first malformed message: here a body that is not JSON is answered with a parse error
//! (id `null`, as JSON-RPC asks) and the server keeps reading.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use crossbeam_channel::{Receiver, select, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Response};

pub fn run() -> ExitCode {
    let (to_server, server_in) = unbounded::<Message>();
    let (server_out, from_server) = unbounded::<Message>();
    let (raw_out, raw_in) = unbounded::<String>();
    let writer = std::thread::spawn(move || write_loop(&from_server, &raw_in));
    // The reader is not joined: it may sit in a blocking read of standard input when the server
    // has already exited, and the process ending stops it.
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input) {
                Ok(None) => break,
                Ok(Some(body)) => match serde_json::from_slice::<Message>(&body) {
                    Ok(message) => {
                        if to_server.send(message).is_err() {
                            break;
                        }
                    }
                    Err(error) => {
                        let id = serde_json::from_slice::<serde_json::Value>(&body)
                            .ok()
                            .and_then(|v| serde_json::from_value::<lsp_server::RequestId>(v.get("id")?.clone()).ok());
                        match id {
                            Some(id) => {
                                let message = format!("invalid request: {error}");
                                let response = Response::new_err(id, ErrorCode::InvalidRequest as i32, message);
                                let _ = raw_out.send(serde_json::to_string(&response).unwrap_or_default());
                            }
                            None => {
                                let _ = raw_out.send(
                                    serde_json::json!({
                                        "jsonrpc": "2.0",
                                        "id": null,
                                        "error": { "code": ErrorCode::ParseError as i32, "message": format!("parse error: {error}") },
                                    })
                                    .to_string(),
                                );
                            }
                        }
                    }
                },
                Err(error) => {
                    eprintln!("apig-lint lsp: {error}");
                    if error.kind() == std::io::ErrorKind::UnexpectedEof {
                        break;
                    }
                }
            }
        }
    });
    let connection = Connection { sender: server_out, receiver: server_in };
    let outcome = apig_lint::lsp::run(&connection);
    drop(connection);
    let _ = writer.join();
    match outcome {
        Ok(apig_lint::lsp::Exit::AfterShutdown) => ExitCode::SUCCESS,
        Ok(apig_lint::lsp::Exit::WithoutShutdown) => ExitCode::from(1),
        Err(error) => {
            eprintln!("apig-lint lsp: {error}");
            ExitCode::from(1)
        }
    }
}

fn write_loop(messages: &Receiver<Message>, raw: &Receiver<String>) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // The raw channel (answers to unreadable messages) closes when the reader stops; the server's
    // channel closes when the server is done, which ends the loop.
    let mut raw_open = true;
    loop {
        let result = if raw_open {
            select! {
                recv(messages) -> message => match message {
                    Ok(message) => message.write(&mut out),
                    Err(_) => return,
                },
                recv(raw) -> body => match body {
                    Ok(body) => write!(out, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| out.flush()),
                    Err(_) => {
                        raw_open = false;
                        Ok(())
                    }
                },
            }
        } else {
            match messages.recv() {
                Ok(message) => message.write(&mut out),
                Err(_) => return,
            }
        };
        if result.is_err() {
            return;
        }
    }
}

/// One message body; `None` at the end of input. Headers other than `Content-Length` are
/// skipped; a header block without a length is an error and the next block is read.
fn read_message(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    let mut any = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if any {
                Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the input ended inside a header"))
            } else {
                Ok(None)
            };
        }
        let header = line.trim_end();
        if header.is_empty() {
            if !any {
                continue;
            }
            break;
        }
        any = true;
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "a message without a valid Content-Length"));
    };
    // A limit far above any document, so a bogus length cannot take all memory at once.
    if length > 256 << 20 {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "a message larger than 256 MiB"));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}
