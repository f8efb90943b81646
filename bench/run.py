#!/usr/bin/env python3
"""Side-by-side benchmark of apig-lint against check-jsonschema and Spectral.

Run by hand from the repository root (it installs the peers on first use):

    python3 bench/run.py            # all corpora
    python3 bench/run.py --quick    # fewer runs, for a smoke test

It generates corpora deterministically (mixed JSON and YAML, every channel kind, about 30 % of
the files carrying one error a JSON Schema can express), exports `apig-lint schema`, checks that
the three tools flag the same files, then prints median wall time, files per second, peak RSS and
the ratio of each peer to apig-lint, and callgrind instruction counts for apig-lint. The table is
printed as Markdown, ready for bench/RESULTS.md.
"""

import argparse
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
# The binary users download: the `dist` profile (fat LTO, one codegen unit).
APIG = ROOT / "target" / "dist" / "apig-lint"
VENV = BENCH / ".venv"
CHECK_JSONSCHEMA = VENV / "bin" / "check-jsonschema"
SPECTRAL = BENCH / "node_modules" / ".bin" / "spectral"
SCHEMA_RULES = "AL101,AL102,AL103,AL104,AL105,AL106,AL107"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def install():
    sh(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT)
    if not CHECK_JSONSCHEMA.exists():
        sh([sys.executable, "-m", "venv", str(VENV)])
        sh([str(VENV / "bin" / "pip"), "install", "--quiet", "check-jsonschema"])
    if not SPECTRAL.exists():
        if not (BENCH / "package.json").exists():
            sh(["npm", "init", "-y"], cwd=BENCH, stdout=subprocess.DEVNULL)
        sh(["npm", "install", "--silent", "@stoplight/spectral-cli"], cwd=BENCH)


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
    sets = [("1 file", write_corpus("one", 1, 1)), ("1,000 files", write_corpus("1k", 1000, 2))]
    if not quick:
        sets.append(("10,000 files", write_corpus("10k", 10000, 3)))
    sets.append(("1 file, 5,000 members", write_corpus("members", 1, 4, members=5000)))
    return sets


# ---- the tools ------------------------------------------------------------------------------

def files_of(corpus):
    return sorted(str(p) for p in corpus.iterdir())


def commands(corpus, schema, ruleset):
    files = files_of(corpus)
    return {
        "apig-lint": [str(APIG), "check", "--format", "json", *files],
        "check-jsonschema": [str(CHECK_JSONSCHEMA), "--schemafile", str(schema), "--output-format", "json", *files],
        "spectral": [str(SPECTRAL), "lint", "--ruleset", str(ruleset), "--format", "json", "--quiet", *files],
    }


def flagged(tool, corpus, schema, ruleset):
    """Files each tool flags, on the constraints a schema can express."""
    files = files_of(corpus)
    if tool == "apig-lint":
        out = subprocess.run([str(APIG), "check", "--format", "json", "--select", SCHEMA_RULES, *files], capture_output=True, text=True)
        return {os.path.abspath(d["file"]) for d in json.loads(out.stdout)["diagnostics"] if d["severity"] == "error"}
    if tool == "check-jsonschema":
        out = subprocess.run(commands(corpus, schema, ruleset)[tool], capture_output=True, text=True)
        report = json.loads(out.stdout)
        failed = report.get("errors", []) + report.get("parse_errors", [])
        return {os.path.abspath(e["filename"]) for e in failed}
    out = subprocess.run(commands(corpus, schema, ruleset)[tool], capture_output=True, text=True)
    results = json.loads(out.stdout or "[]")
    return {os.path.abspath(r["source"]) for r in results if r.get("severity") == 0}


def measure(cmd, runs):
    """Median wall seconds over `runs` runs, and peak RSS (KiB) from one more under /usr/bin/time
    (a child forked from Python counts Python's own pages in its peak RSS until it execs)."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
    with tempfile.NamedTemporaryFile() as stats:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = int(Path(stats.name).read_text().split()[-1])
    return statistics.median(walls), peak


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
        if corpus.name not in ("1k",):
            continue
        seen = {tool: flagged(tool, corpus, schema, ruleset) for tool in ("apig-lint", "check-jsonschema", "spectral")}
        base = seen["apig-lint"]
        for tool, files in seen.items():
            print(f"- {label}, {tool}: {len(files)} files flagged" + ("" if files == base else f" (differs from apig-lint: {sorted(files ^ base)[:5]})"))
    print()

    print("## Speed and memory\n")
    print("| corpus | tool | median wall | files/s | peak RSS | peer / apig-lint |")
    print("|---|---|---|---|---|---|")
    for label, corpus in sets:
        count = len(files_of(corpus))
        cmds = commands(corpus, schema, ruleset)
        results = {}
        for tool, cmd in cmds.items():
            runs = 1 if args.quick else (1 if tool == "spectral" and count >= 10000 else (5 if count > 1 else 11))
            results[tool] = measure(cmd, runs)
        base = results["apig-lint"][0]
        for tool, (wall, peak) in results.items():
            ratio = "1" if tool == "apig-lint" else f"{wall / base:,.0f}× slower"
            print(f"| {label} | {tool} | {wall * 1000:,.1f} ms | {count / wall:,.0f} | {peak / 1024:.1f} MiB | {ratio} |")
    print()

    print("## apig-lint instruction counts (callgrind)\n")
    for label, corpus in sets:
        if corpus.name == "10k":
            continue
        count = callgrind(commands(corpus, schema, ruleset)["apig-lint"])
        print(f"- {label}: {count:,} instructions" if count else f"- {label}: valgrind not available")
    print()
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), platform.processor())
    print(f"Machine: {os.cpu_count()} cores ({cpu}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.platform()}")


if __name__ == "__main__":
    main()
