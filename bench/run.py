#!/usr/bin/env python3
"""Side-by-side benchmark of apig-lint against JSON Schema validators.

Peers: jsonschema-cli (Rust, the `jsonschema` crate: the fastest peer), ajv-cli (Node, compiled
schema), check-jsonschema (Python) and Spectral (Node). Run by hand from the repository root (it
installs the peers on first use: `cargo install jsonschema-cli`, npm and a venv under bench/):

    python3 bench/run.py            # all corpora
    python3 bench/run.py --quick    # fewer runs, for a smoke test

It generates corpora deterministically (every channel kind, about 30 % of the files carrying one
error a JSON Schema can express; mixed JSON and YAML, and a JSON-only corpus for the peers that
read only JSON), exports `apig-lint schema`, checks that every tool flags the same files, then
prints median wall time and CPU time (user + system, from the kernel's accounting of each run;
the fast tools of a corpus take turns, run by run; on the 2,000 JSON files, which decide the
targets of issue #14, in five batches spread over the whole run, each printed),
files per second, peak RSS and the ratio of each peer to apig-lint, with apig-lint both on all
cores and on one thread (`--threads 1`), and callgrind instruction counts for apig-lint. Every
tool prints its findings as text (apig-lint: `--format concise`). The tables are Markdown, ready
for bench/RESULTS.md.
"""

import argparse
import atexit
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPORA = BENCH / "corpora"
# The binary users download: the `dist` profile (fat LTO, one codegen unit), on Linux linked
# statically with glibc and optimised with the profile of the samples, as release.yml builds it.
# The same profile linked dynamically and without that optimisation (as the wheels and
# `cargo install` are) is also timed on one file, where loading libraries shows.
HOST = next(l.split()[1] for l in subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout.splitlines() if l.startswith("host:"))
STATIC = HOST.endswith("-linux-gnu")
BUILT_DYNAMIC = ROOT / "target" / "dist" / "apig-lint"
BUILT = ROOT / "target" / HOST / "dist" / "apig-lint" if STATIC else BUILT_DYNAMIC
# Binaries are timed as installed: copied out of target/, as `cargo install`, an unpacked archive or
# a wheel leaves them. The file the linker wrote is mapped in smaller pieces: the same binary
# where cargo left it took 16 more page faults and 0.1 ms more for one file (RESULTS.md, "Sixth
# pass"). The copies are deleted at exit.
INSTALLED = Path(tempfile.mkdtemp(prefix="apig-lint-bench-"))
atexit.register(shutil.rmtree, INSTALLED, ignore_errors=True)
APIG_DYNAMIC = INSTALLED / "dynamic" / "apig-lint"
APIG = INSTALLED / "static" / "apig-lint" if STATIC else APIG_DYNAMIC
VENV = BENCH / ".venv"
CHECK_JSONSCHEMA = VENV / "bin" / "check-jsonschema"
SPECTRAL = BENCH / "node_modules" / ".bin" / "spectral"
AJV = BENCH / "node_modules" / ".bin" / "ajv"
JSONSCHEMA_CLI_VERSION = "0.60.2"



def find_jsonschema_cli():
    """The pinned jsonschema-cli: one already on PATH at that version, else bench/.cargo's."""
    found = shutil.which("jsonschema-cli")
    if found:
        version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout.split()
        if version[-1:] == [JSONSCHEMA_CLI_VERSION]:
            return Path(found)
    return BENCH / ".cargo" / "bin" / "jsonschema-cli"


JSONSCHEMA_CLI = find_jsonschema_cli()
# hyperfine times the one-file runs: the process alone, after a warm-up, 300 runs. Without it the
# one-file rows are the alternated runs started from Python (0.02 to 0.06 ms more here), and the
# report says so. Any version on PATH, else this one, installed by `install` as jsonschema-cli is
# (1.20.0 is the last that builds with the machine's rustc 1.95).
HYPERFINE_VERSION = "1.20.0"
HYPERFINE = Path(shutil.which("hyperfine") or BENCH / ".cargo" / "bin" / "hyperfine")
SCHEMA_RULES = "AL101,AL102,AL103,AL104,AL105,AL106,AL107"
# The corpus that decides the two ratio targets of issue #14, and how many batches of 41
# alternated rounds its fast tools run. This 2-core virtual machine has spells of seconds in which
# a two-thread run takes 10 to 30 % more CPU time and one-thread runs and the peers 1 to 3 % more
# (bench/RESULTS.md, "Fifteenth pass"), so a batch that falls in one reads the all-cores ratio
# high (0.49 to 0.56 against 0.45 to 0.46). So the batches are spread over the whole benchmark
# (one at the corpus's turn, one after each later corpus), every batch is printed, a fast tool's
# row is the median of its batches, and a target is judged on the median of the batches' ratios.
BATCHED = "2k-json"
BATCHES = 5
# Spells have lasted up to half a minute here, so a batch starts at least a minute after the
# one before it (the corpora in between take from seconds to minutes; the rest is waited out).
BATCH_GAP = 60


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def install():
    # The dynamic build is what `cargo install` and the wheels give: no profile-guided optimisation.
    sh(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT)
    if STATIC:
        # The static binary as release.yml builds it: with the profile of the samples
        # (.github/scripts/pgo-build.sh), never of these corpora.
        env = {**os.environ, "RUSTFLAGS": "-C target-feature=+crt-static"}
        sh(["bash", ".github/scripts/pgo-build.sh", HOST], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for built, installed in {BUILT_DYNAMIC: APIG_DYNAMIC, BUILT: APIG}.items():
        installed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, installed)
    if not CHECK_JSONSCHEMA.exists():
        sh([sys.executable, "-m", "venv", str(VENV)])
        sh([str(VENV / "bin" / "pip"), "install", "--quiet", "check-jsonschema"])
    if not SPECTRAL.exists() or not AJV.exists():
        if not (BENCH / "package.json").exists():
            sh(["npm", "init", "-y"], cwd=BENCH, stdout=subprocess.DEVNULL)
        sh(["npm", "install", "--silent", "@stoplight/spectral-cli", "ajv-cli@5"], cwd=BENCH)
    if not JSONSCHEMA_CLI.exists():
        sh(["cargo", "install", "--quiet", "--locked", "--root", str(BENCH / ".cargo"),
            "jsonschema-cli", "--version", JSONSCHEMA_CLI_VERSION])
    if not HYPERFINE.exists():
        sh(["cargo", "install", "--quiet", "--locked", "--root", str(BENCH / ".cargo"),
            "hyperfine", "--version", HYPERFINE_VERSION])


# ---- corpora ---------------------------------------------------------------------------------

def health(rng):
    protocol = rng.choice(["TCP", "HTTP", "HTTPS"])
    check = {"protocol": protocol, "threshold_normal": 2, "threshold_abnormal": 5, "time_interval": 10, "timeout": 5}
    if protocol != "TCP":
        check["path"] = "/healthz"
    if protocol == "HTTP":
        check["http_code"] = rng.choice(["200", "200-299", "200,201,204"])
    return check


def channel(rng, i, members=None):
    kinds = ["builtin-ip", "builtin-ecs", "cse", "cce-app", "cce-labels", "nacos", "reference"]
    kind = "builtin-ip" if members else rng.choice(kinds)
    doc = {"name": f"svc-{i}", "port": rng.randint(1, 65535), "balance_strategy": rng.randint(1, 4), "member_type": "ip"}
    if kind == "builtin-ip":
        doc["vpc_channel_type"] = "builtin"
        count = members or rng.randint(1, 6)
        doc["members"] = [{"host": f"10.{i % 250}.{k // 250}.{k % 250 + 1}", "weight": rng.randint(0, 100)} for k in range(count)]
        doc["vpc_health_config"] = health(rng)
    elif kind == "builtin-ecs":
        doc.update(member_type="ecs", vpc_channel_type="builtin")
        doc["members"] = [{"ecs_id": f"{i:08x}-0000-4000-8000-{k:012x}", "ecs_name": f"node-{k}"} for k in range(rng.randint(1, 6))]
    elif kind == "reference":
        doc.update(member_type="ecs", vpc_channel_type="reference")
        doc["member_groups"] = [{"member_group_name": f"group-{k}", "reference_vpc_channel_id": f"{i:08x}{k:024x}"} for k in range(2)]
    else:
        doc["vpc_channel_type"] = "microservice"
        if kind == "cse":
            info = {"service_type": "CSE", "cse_info": {"engine_id": f"e{i}", "service_id": f"s{i}"}}
        elif kind == "nacos":
            info = {"service_type": "NACOS", "nacos_info": {
                "service_name": f"svc-{i}", "server_config": [{"ip_address": "10.0.0.21", "port": 8848}],
                "user_info": {"user_name": "gateway", "password": "${NACOS_PASSWORD}"}}}
        else:
            cce = {"cluster_id": f"c{i:031x}", "namespace": "default", "workload_type": "deployment"}
            if kind == "cce-app":
                cce["app_name"] = f"app{i}"
            else:
                cce.update(label_key="app.kubernetes.io/name", label_value=f"app{i}")
            info = {"service_type": "CCE", "cce_info": cce}
        doc["microservice_info"] = info
    return doc


# One error each, all of them expressible in a JSON Schema.
BREAKS = [
    lambda d: d.__setitem__("port", 70000),
    lambda d: d.__setitem__("balance_strategy", 7),
    lambda d: d.__setitem__("name", "ab"),
    lambda d: d.__setitem__("member_type", "IP"),
    lambda d: d.__setitem__("port", "8080"),
    lambda d: d.pop("name"),
]


def yaml_dump(value, indent=0):
    """A small block-style YAML writer for the corpus (strings in JSON quotes, which YAML reads)."""
    pad = "  " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(yaml_dump(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {json.dumps(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            text = yaml_dump(item, indent + 1).lstrip() if isinstance(item, (dict, list)) else json.dumps(item)
            lines.append(f"{pad}- {text}")
        return "\n".join(lines)
    return pad + json.dumps(value)


def write_corpus(name, count, seed, members=None, json_only=False):
    target = CORPORA / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    rng = random.Random(seed)
    bad = set()
    for i in range(count):
        doc = channel(rng, i, members)
        if members is None and rng.random() < 0.3:
            rng.choice(BREAKS)(doc)
            bad.add(i)
        if rng.random() < 0.5 or json_only:
            (target / f"channel-{i:05d}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        else:
            (target / f"channel-{i:05d}.yaml").write_text(yaml_dump(doc) + "\n")
    return target


def corpora(quick):
    CORPORA.mkdir(exist_ok=True)
    sets = [
        ("1 file", write_corpus("one", 1, 1)),
        ("2,000 JSON files", write_corpus("2k-json", 2000, 5, json_only=True)),
        ("1,000 files", write_corpus("1k", 1000, 2)),
    ]
    if not quick:
        sets.append(("10,000 files", write_corpus("10k", 10000, 3)))
    sets.append(("1 file, 5,000 members", write_corpus("members", 1, 4, members=5000)))
    sets.append(("1 JSON file, 5,000 members", write_corpus("members-json", 1, 4, members=5000, json_only=True)))
    return sets


# ---- the tools ------------------------------------------------------------------------------

def files_of(corpus):
    return sorted(str(p) for p in corpus.iterdir())


def json_only(corpus):
    return all(f.endswith(".json") for f in files_of(corpus))


def commands(corpus, schema, ruleset):
    """Each tool's command on the corpus; the JSON-only peers only on JSON-only corpora."""
    files = files_of(corpus)
    cmds = {
        "apig-lint": [str(APIG), "check", "--format", "concise", *files],
        "apig-lint, 1 thread": [str(APIG), "check", "--threads", "1", "--format", "concise", *files],
    }
    if STATIC and len(files) == 1:
        cmds["apig-lint, dynamic"] = [str(APIG_DYNAMIC), "check", "--format", "concise", *files]
    if json_only(corpus):
        cmds["jsonschema-cli"] = [str(JSONSCHEMA_CLI), "validate", str(schema), "-i", *files]
        cmds["ajv-cli"] = [str(AJV), "validate", "--spec=draft2020", "--strict=false", "-s", str(schema), *[a for f in files for a in ("-d", f)]]
    cmds["check-jsonschema"] = [str(CHECK_JSONSCHEMA), "--schemafile", str(schema), *files]
    cmds["spectral"] = [str(SPECTRAL), "lint", "--ruleset", str(ruleset), "--quiet", *files]
    return cmds


def flagged(tool, corpus, schema, ruleset):
    """Files each tool flags, on the constraints a schema can express."""
    files = files_of(corpus)
    if tool == "apig-lint":
        out = subprocess.run([str(APIG), "check", "--format", "json", "--select", SCHEMA_RULES, *files], capture_output=True, text=True)
        return {os.path.abspath(d["file"]) for d in json.loads(out.stdout)["diagnostics"] if d["severity"] == "error"}
    if tool == "jsonschema-cli":
        out = subprocess.run([str(JSONSCHEMA_CLI), "validate", str(schema), "--output", "flag", "-i", *files], capture_output=True, text=True)
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        return {os.path.abspath(l["instance"]) for l in lines if not l["payload"]["valid"]}
    if tool == "ajv-cli":
        out = subprocess.run(commands(corpus, schema, ruleset)[tool], capture_output=True, text=True)
        lines = (out.stdout + out.stderr).splitlines()
        return {os.path.abspath(l[: -len(" invalid")]) for l in lines if l.endswith(" invalid")}
    if tool == "check-jsonschema":
        out = subprocess.run([*commands(corpus, schema, ruleset)[tool], "--output-format", "json"], capture_output=True, text=True)
        report = json.loads(out.stdout)
        failed = report.get("errors", []) + report.get("parse_errors", [])
        return {os.path.abspath(e["filename"]) for e in failed}
    out = subprocess.run([*commands(corpus, schema, ruleset)[tool], "--format", "json"], capture_output=True, text=True)
    results = json.loads(out.stdout or "[]")
    return {os.path.abspath(r["source"]) for r in results if r.get("severity") == 0}


def spaced(last):
    """Waits until BATCH_GAP seconds have passed since `last` (a batch's start); the new start."""
    time.sleep(max(0.0, last + BATCH_GAP - time.monotonic()))
    return time.monotonic()


def fast_tools(cmds):
    """The tools of `cmds` that take a second or less: they take turns in `measure`."""
    return {tool: cmd for tool, cmd in cmds.items() if tool not in ("spectral", "check-jsonschema")}


def measure(cmds, runs):
    """For each command of `cmds` (name -> argv): median wall seconds and median CPU seconds (user +
    system, from the kernel's accounting of the child: os.wait4) over `runs` runs, and peak RSS
    (KiB) from one more run under /usr/bin/time (a child forked from Python counts Python's own
    pages in its peak RSS until it execs, so wait4's figure is Python's for a small tool).

    The commands take turns, run by run, the order reversed every other round: a slow spell of
    the machine (this 2-core virtual machine has them, 20 to 40 % for a few hundred
    milliseconds) then falls on every tool alike instead of on whichever was running, and the
    ratios of one corpus compare runs made side by side."""
    walls = {name: [] for name in cmds}
    cpus = {name: [] for name in cmds}
    for round_ in range(runs):
        for name, cmd in (list(cmds.items()) if round_ % 2 == 0 else list(cmds.items())[::-1]):
            start = time.perf_counter()
            child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(child.pid, 0)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(usage.ru_utime + usage.ru_stime)
    results = {}
    for name, cmd in cmds.items():
        with tempfile.NamedTemporaryFile() as stats:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            peak = int(Path(stats.name).read_text().split()[-1])
        results[name] = (statistics.median(walls[name]), statistics.median(cpus[name]), peak)
    return results


def hyperfine(cmd, runs):
    """Median wall seconds of a short command, from hyperfine (no shell, after a warm-up), which
    times the process alone; `None` when hyperfine is not installed."""
    if not HYPERFINE.exists():
        return None
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([str(HYPERFINE), "-N", "--warmup", "20", "--runs", str(runs), "-i", "--export-json", out.name,
                        " ".join(cmd)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return json.loads(Path(out.name).read_text())["results"][0]["median"]


def hello_worlds():
    """A Rust hello-world, built here as the linter is (optimised; also static on Linux), and
    hyperfine's median for each: the floor of a cold process on this machine."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "hello.rs"
        source.write_text('fn main() { println!("hello"); }\n')
        builds = [("linked dynamically", [])] + ([("static", ["-C", "target-feature=+crt-static"])] if STATIC else [])
        for linked, flags in builds:
            built = Path(tmp) / f"built-{len(out)}"
            sh(["rustc", "-O", *flags, "-o", str(built), str(source)])
            # Copied, as the linter's binaries are (see INSTALLED).
            binary = Path(tmp) / f"hello-{len(out)}"
            shutil.copy2(built, binary)
            out[linked] = hyperfine([str(binary)], 300)
    return out


def callgrind(cmd):
    if not shutil.which("valgrind"):
        return None
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], capture_output=True, text=True)
    for line in out.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-file corpus and run each command once")
    args = parser.parse_args()
    os.chdir(ROOT)
    install()
    schema = CORPORA / "schema.json"
    sets = corpora(args.quick)
    schema.write_text(subprocess.run([str(APIG), "schema"], capture_output=True, text=True, check=True).stdout)
    ruleset = CORPORA / "spectral-ruleset.json"
    ruleset.write_text(json.dumps({"rules": {"vpc-channel-schema": {
        "given": "$", "severity": "error",
        "then": {"function": "schema", "functionOptions": {"schema": json.loads(schema.read_text()), "dialect": "auto"}}}}}))

    print("## Agreement (files flagged on schema-expressible constraints)\n")
    for label, corpus in sets:
        if corpus.name not in ("1k", "2k-json"):
            continue
        tools = ["apig-lint", *(["jsonschema-cli", "ajv-cli"] if json_only(corpus) else []), "check-jsonschema", "spectral"]
        seen = {tool: flagged(tool, corpus, schema, ruleset) for tool in tools}
        base = seen["apig-lint"]
        for tool, files in seen.items():
            print(f"- {label}, {tool}: {len(files)} files flagged" + ("" if files == base else f" (differs from apig-lint: {sorted(files ^ base)[:5]})"))
    print()

    print("## Speed and memory\n")
    # Said either way, so that a number taken another way is never read as hyperfine's.
    one_file = ("hyperfine's median" if HYPERFINE.exists() and not args.quick else
                "the median of the\nalternated runs, started from Python, which adds its own cost (hyperfine was not run)")
    print("Wall and CPU: medians. Ratios: the peer's wall over apig-lint's (all cores), and the peer's CPU over")
    print(f"apig-lint's on one thread (the work each does). For one file the wall time is {one_file}.\n")
    print("| corpus | tool | median wall | median CPU | files/s | peak RSS | wall / apig-lint | CPU / apig-lint 1 thread |")
    print("|---|---|---|---|---|---|---|---|")
    summary = {}
    # The fast tools on the 2,000 JSON files, batch by batch (see BATCHES).
    batches = []
    wanted = 1 if args.quick else BATCHES
    batched_label, batched = next((label, corpus) for label, corpus in sets if corpus.name == BATCHED)
    batched_fast = fast_tools(commands(batched, schema, ruleset))
    last_batch = time.monotonic()
    for label, corpus in sets:
        started = time.monotonic()
        cmds = commands(corpus, schema, ruleset)
        count = len(files_of(corpus))
        # The tools that take a second or less take turns, 41 runs each; the slow ones (Python
        # and Spectral, seconds to minutes) run on their own, fewer times.
        fast = fast_tools(cmds)
        results = measure(fast, 1 if args.quick else 41)
        for tool, cmd in cmds.items():
            if tool not in fast:
                results.update(measure({tool: cmd}, 1 if args.quick or count >= 1000 else 3))
        if count == 1 and not args.quick:
            for tool, cmd in fast.items():
                results[tool] = (hyperfine(cmd, 300) or results[tool][0], *results[tool][1:])
        summary[corpus.name] = {tool: results[tool] for tool in cmds}
        # One batch at the corpus's turn, then one after each later corpus, the rest at the end.
        if corpus is batched:
            batches.append({tool: results[tool] for tool in fast})
            last_batch = started
        elif batches and len(batches) < wanted:
            last_batch = spaced(last_batch)
            batches.append(measure(batched_fast, 41))
    while len(batches) < wanted:
        last_batch = spaced(last_batch)
        batches.append(measure(batched_fast, 41))
    # A fast tool's row on the batched corpus: the median of its batches' medians.
    for tool in batched_fast:
        summary[BATCHED][tool] = tuple(statistics.median(b[tool][i] for b in batches) for i in range(3))
    for label, corpus in sets:
        results = summary[corpus.name]
        count = len(files_of(corpus))
        base_wall, base_cpu = results["apig-lint"][0], results["apig-lint, 1 thread"][1]
        for tool, (wall, cpu, peak) in results.items():
            print(f"| {label} | {tool} | {wall * 1000:,.1f} ms | {cpu * 1000:,.1f} ms | {count / wall:,.0f} | {peak / 1024:.1f} MiB"
                  f" | {wall / base_wall:,.2f} | {cpu / base_cpu:,.2f} |")
    print()
    if len(batches) > 1:
        print(f"The {batched_label}, batch by batch (41 alternated rounds of the fast tools each):\n")
        print("| batch | apig-lint wall | apig-lint, 1 thread CPU | jsonschema-cli wall | jsonschema-cli CPU | all cores: wall / jsonschema-cli | one thread: CPU / jsonschema-cli |")
        print("|---|---|---|---|---|---|---|")
        for n, b in enumerate(batches, 1):
            wall, one, peer = b["apig-lint"][0], b["apig-lint, 1 thread"][1], b["jsonschema-cli"]
            print(f"| {n} | {wall * 1000:.1f} ms | {one * 1000:.1f} ms | {peer[0] * 1000:.1f} ms | {peer[1] * 1000:.1f} ms"
                  f" | {wall / peer[0]:.3f} | {one / peer[1]:.3f} |")
        print()

    print("## Against the targets of issue #14\n")
    two = summary.get(BATCHED, {})
    if "jsonschema-cli" in two:
        # Judged on each batch's ratio, the runs of a batch having been made side by side.
        one = [b["apig-lint, 1 thread"][1] / b["jsonschema-cli"][1] for b in batches]
        both = [b["apig-lint"][0] / b["jsonschema-cli"][0] for b in batches]
        one_ratio, all_ratio = statistics.median(one), statistics.median(both)
        peer_wall, peer_cpu = two["jsonschema-cli"][0], two["jsonschema-cli"][1]
        one_cpu, all_wall = two["apig-lint, 1 thread"][1], two["apig-lint"][0]
        of = f"median of {len(batches)} batches" if len(batches) > 1 else "one batch"
        print(f"- 2,000 JSON files, one thread: apig-lint CPU {one_cpu * 1000:.1f} ms, jsonschema-cli {peer_cpu * 1000:.1f} ms"
              f" (target: at or below; {'met' if one_ratio <= 1 else 'missed'}, ratio {one_ratio:.2f}, {of};"
              f" {sum(r > 1 for r in one)} of {len(one)} batches above 1)")
        print(f"- 2,000 JSON files, all cores: apig-lint wall {all_wall * 1000:.1f} ms, half of jsonschema-cli's {peer_wall * 500:.1f} ms"
              f" (target: at most half; {'met' if all_ratio <= 0.5 else 'missed'}, ratio {all_ratio:.2f}, {of};"
              f" {sum(r > 0.5 for r in both)} of {len(both)} batches above 0.5)")
    if "one" in summary:
        for tool in ("apig-lint", "apig-lint, dynamic"):
            if tool in summary["one"]:
                wall = summary["one"][tool][0]
                linked = "linked dynamically" if tool.endswith("dynamic") or not STATIC else "static"
                print(f"- one small file, cold process, {linked}: {wall * 1000:.2f} ms (target ≤ 1.5 ms: {'met' if wall <= 0.0015 else 'missed'})")
        if not args.quick:
            for linked, wall in hello_worlds().items():
                if wall:
                    print(f"  - a Rust hello-world, {linked}: {wall * 1000:.2f} ms")
                else:
                    print(f"  - a Rust hello-world, {linked}: not timed (hyperfine was not run)")
    for name in ("members", "members-json"):
        if name in summary:
            wall = summary[name]["apig-lint"][0]
            print(f"- {name}: {wall * 1000:.1f} ms (target ≤ 25 ms: {'met' if wall <= 0.025 else 'missed'})")
    if "1k" in summary and "10k" in summary:
        ratio = summary["10k"]["apig-lint"][0] / summary["1k"]["apig-lint"][0]
        print(f"- 10,000 files take {ratio:.1f}× the time of 1,000 (linear: about 10×)")
    print()

    print("## apig-lint instruction counts (callgrind, one thread)\n")
    for label, corpus in sets:
        if corpus.name == "10k":
            continue
        count = callgrind(commands(corpus, schema, ruleset)["apig-lint, 1 thread"])
        print(f"- {label}: {count:,} instructions" if count else f"- {label}: valgrind not available")
    print()
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    print(f"Machine: {os.cpu_count()} cores ({cpu}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.platform()}")


if __name__ == "__main__":
    main()
