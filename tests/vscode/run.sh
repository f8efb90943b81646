#!/usr/bin/env bash
# The VS Code extension in editors/vscode/: installs its locked dependencies (npm ci), compiles it
# (tsc) and packages it (vsce package), then checks the .vsix: a zip whose extension/package.json
# names apig-lint, with extension/out/extension.js and the runtime dependencies it requires.
# VS Code itself cannot run here; loading extension.js from the unpacked .vsix with a stand-in
# `vscode` module shows that every module it requires is inside the package. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../../editors/vscode"
for tool in node npm python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (node and npm: Debian's nodejs and npm)" >&2; exit 1; }
done

work=$(mktemp -d)
vsix="$work/apig-lint.vsix"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "== npm run compile"
npm run --silent compile
test -f out/extension.js
echo "== vsce package"
# Not --no-dependencies: nothing bundles extension.js, so vscode-languageclient must ship in the
# package's node_modules/ for the installed extension to start without a network.
npx --no-install vsce package --out "$vsix" </dev/null

echo "== check the .vsix"
if python3 - "$vsix" "$work/unpacked" <<'PY'
import json, sys, zipfile
vsix, dest = sys.argv[1], sys.argv[2]
assert zipfile.is_zipfile(vsix), f"{vsix} is not a zip"
with zipfile.ZipFile(vsix) as z:
    names = set(z.namelist())
    manifest = json.loads(z.read("extension/package.json"))
    for need in ("extension.vsixmanifest", "extension/out/extension.js",
                 "extension/node_modules/vscode-languageclient/package.json",
                 "extension/readme.md", "extension/changelog.md"):  # vsce lower-cases these two
        assert need in {n if "/node_modules/" in n else n.lower() for n in names}, f"{need} is missing from the .vsix"
    leaked = sorted(n for n in names if n.startswith("extension/src/") or n.endswith(".ts") and not n.endswith(".d.ts"))
    assert not leaked, f"sources in the .vsix: {leaked[:5]}"
    dev = [d for d in ("typescript", "@vscode/vsce", "@types/vscode") if f"extension/node_modules/{d}/package.json" in names]
    assert not dev, f"dev dependencies in the .vsix: {dev}"
    z.extractall(dest)
assert manifest["name"] == "apig-lint", manifest["name"]
assert manifest["publisher"] == "apig-lint", manifest["publisher"]
assert manifest["main"] == "./out/extension.js", manifest["main"]
props = manifest["contributes"]["configuration"]["properties"]
assert props["apig-lint.path"]["default"] == "apig-lint", props["apig-lint.path"]
assert set(props["apig-lint.run"]["enum"]) == {"onType", "onSave"}, props["apig-lint.run"]
events = set(manifest["activationEvents"])
assert {"onLanguage:json", "onLanguage:yaml"} <= events, events
print(f"ok: {len(names)} files, {manifest['name']} {manifest['version']} by {manifest['publisher']}")
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== load extension.js from the unpacked .vsix"
# The script is JavaScript: its `${…}` are template literals for node, not for the shell.
# shellcheck disable=SC2016
if (cd "$work/unpacked/extension" && node -e '
  const Module = require("module");
  const resolve = Module._resolveFilename;
  // A stand-in for the `vscode` module, which only VS Code provides: any property is a no-op.
  const stub = new Proxy(function () {}, { get: (t, k) => (k === "__esModule" ? false : stub), construct: () => stub, apply: () => stub });
  Module._resolveFilename = function (request, ...rest) { return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest); };
  require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: stub };
  const ext = require("./out/extension.js");
  for (const f of ["activate", "deactivate"]) if (typeof ext[f] !== "function") throw new Error(f + " is not exported");
  const client = require.resolve("vscode-languageclient/node");
  if (!client.startsWith(process.cwd() + "/node_modules/")) throw new Error("vscode-languageclient resolved outside the package: " + client);
  console.log("ok: activate and deactivate exported; vscode-languageclient from the package");
'); then passed=$((passed + 1)); else failed=$((failed + 1)); fi

rm -f "$vsix"
echo "vscode: $passed passed, $failed failed"
[ "$failed" = 0 ]
