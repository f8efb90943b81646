#!/usr/bin/env python3
"""The workload a profile-guided build of apig-lint learns from (pgo-build.sh runs it).

Usage: pgo_train.py BINARY (an instrumented build; run from the repository's root).

It is what apig-lint does for its users, on the bundled samples only, never on bench/'s
corpora, so that bench/ times a binary that was not trained on what it times:
- `check` over samples/ in every format, `--statistics`, and `--fix --diff` (which writes
  nothing);
- `check` on each file of samples/valid/ alone (the pre-commit hook's few-files run);
- an editor session over `apig-lint lsp`: open, change, hover, completion and code actions on
  valid and invalid samples, JSON and YAML.

Everything runs on one thread and each request waits for its answer, so two runs differ only
where hash maps' random seeds change a few counts. A run that fails (exit code 2, a server that
does not answer) fails the build: a profile of error paths would be a wrong profile.
"""
import json
import subprocess
import sys
from pathlib import Path

FORMATS = ["human", "concise", "json", "github", "sarif", "junit", "gitlab"]


def check(binary, *args):
    """`apig-lint check ARGS` on one thread; findings (exit code 1) are expected, errors are not."""
    done = subprocess.run([binary, "check", "--threads", "1", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):
        sys.exit(f"pgo_train: `check {' '.join(args)}` exited with {done.returncode}: {done.stderr.decode()}")


class Server:
    """A language-server client over stdio, with LSP's Content-Length framing."""

    def __init__(self, binary):
        self.proc = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.last_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("pgo_train: the language server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.last_id += 1
        self.send({"jsonrpc": "2.0", "id": self.last_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.last_id and "method" not in message:
                if "error" in message:
                    sys.exit(f"pgo_train: {method} failed: {message['error']}")
                return message.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri:
                if params.get("version") in (None, version):
                    return params["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        if self.proc.wait(timeout=30) != 0:
            sys.exit(f"pgo_train: the language server exited with {self.proc.returncode}")


def edit(server, path, version):
    """Opens `path`, changes it, and asks what an editor asks of it."""
    # An editor shows a file that is not UTF-8 (the invalid-encoding sample) with replacements.
    text = path.read_bytes().decode("utf-8", errors="replace")
    uri = path.resolve().as_uri()
    language = "json" if path.suffix == ".json" else "yaml"
    document = {"uri": uri}
    server.notify("textDocument/didOpen", {"textDocument": {**document, "languageId": language, "version": version, "text": text}})
    server.diagnostics(uri, version)
    # A change at the end: a blank line, which JSON and YAML both allow.
    changed = text + "\n"
    server.notify("textDocument/didChange", {"textDocument": {**document, "version": version + 1}, "contentChanges": [{"text": changed}]})
    found = server.diagnostics(uri, version + 1)
    lines = changed.count("\n")
    for line in range(min(lines, 6)):
        server.request("textDocument/hover", {"textDocument": document, "position": {"line": line, "character": 4}})
        server.request("textDocument/completion", {"textDocument": document, "position": {"line": line, "character": 2}})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}
    server.request("textDocument/codeAction", {"textDocument": document, "range": whole, "context": {"diagnostics": found}})
    server.notify("textDocument/didClose", {"textDocument": document})


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pgo_train.py BINARY")
    binary = sys.argv[1]
    for format in FORMATS:
        check(binary, "--format", format, "samples")
    check(binary, "--statistics", "samples")
    check(binary, "--fix", "--diff", "samples")
    for path in sorted(Path("samples/valid").iterdir()):
        check(binary, str(path))
    server = Server(binary)
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    server.notify("initialized", {})
    rules = sorted(p for p in Path("samples/rules").glob("*/*") if p.is_file())
    for version, path in enumerate([*sorted(Path("samples/valid").iterdir()), *rules[::4]], start=1):
        edit(server, path, version * 2)
    server.close()


if __name__ == "__main__":
    main()
