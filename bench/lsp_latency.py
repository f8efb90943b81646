#!/usr/bin/env python3
"""Latency of `apig-lint lsp`, measured at the client, over stdio with real Content-Length framing.

Run by hand after `cargo build --release`:  python3 bench/lsp_latency.py [rounds, default 50]

For a typical channel (samples/valid/builtin-ip.yaml) and the 5,000-member YAML channel of
bench/run.py, it measures the time from sending a `textDocument/didChange` (the whole text, with
a comment line added) to receiving the matching `publishDiagnostics`, and the round trip of `hover`
(on a key) and `completion` (inside a member) on the large file. Prints median and 90th percentile
in milliseconds. Never a timed test: the numbers go to bench/RESULTS.md.
"""
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as corpus  # noqa: E402  (bench/run.py: the same generated channel as the benchmark)
sys.path.insert(0, str(ROOT / ".github" / "scripts"))
from pgo_train import Server  # noqa: E402  (the language-server client the release's PGO training drives)

BINARY = ROOT / "target" / "release" / "apig-lint"


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    big_dir = corpus.write_corpus("lsp-members", 1, 4, members=5000)
    big = next(big_dir.iterdir())
    files = [("typical channel", ROOT / "samples/valid/builtin-ip.yaml"), ("5,000 members", big)]
    client = Server(str(BINARY))
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    print(f"apig-lint lsp latency, {rounds} rounds each (median / p90, ms)")
    for label, path in files:
        text = path.read_text()
        uri = path.resolve().as_uri()
        language = "json" if path.suffix == ".json" else "yaml"
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})
        client.diagnostics(uri, 1)
        times = []
        for version in range(2, rounds + 2):
            # Every change is a new text (a comment line that grows), re-linted in full.
            changed = f"{text}# edit {version}\n"
            started = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]})
            client.diagnostics(uri, version)
            times.append((time.perf_counter() - started) * 1000)
        median, p90 = percentiles(times)
        print(f"  change -> diagnostics, {label}: {median:.2f} / {p90:.2f}")
        if label == "5,000 members":
            for what, method, position in [
                ("hover on a key", "textDocument/hover", {"line": 0, "character": 1}),
                ("completion in a member", "textDocument/completion", {"line": 6, "character": 4}),
            ]:
                samples = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    client.request(method, {"textDocument": {"uri": uri}, "position": position})
                    samples.append((time.perf_counter() - started) * 1000)
                median, p90 = percentiles(samples)
                print(f"  {what}, {label}: {median:.2f} / {p90:.2f}")
    client.close()


if __name__ == "__main__":
    main()
