#!/usr/bin/env bash
# The pre-commit hook with the real client: a throwaway repository whose .pre-commit-config.yaml
# points at this repository by local path. A bad channel file blocks the commit with the finding
# printed; a package.json beside it is left alone; once the channel is fixed the commit goes in.
# Then the same with the apig-lint-python hook. Run from .ci/run (it installs pre-commit from PyPI
# and builds the hooks, so it needs minutes).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"
# Both hooks below compile apig-lint (cargo install; pip building the wheel with maturin): one
# target directory lets the second reuse the dependencies the first compiled.
export CARGO_TARGET_DIR="$work/target"

cd "$work" && mkdir project && cd project
git init -q
git config user.email ci@example.invalid
git config user.name ci
cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $repo
    rev: $(git -C "$repo" rev-parse HEAD)
    hooks:
      - id: apig-lint
CONFIG
pre-commit install >/dev/null
cp "$repo/samples/rules/timeout-above-interval/invalid-greater.yaml" orders.yaml
printf '{"name": "web", "version": "1.0.0", "dependencies": {}}\n' > package.json
git add .

if git commit -qm "add a bad channel" > commit.log 2>&1; then
  cat commit.log
  echo "FAIL: the commit of a bad channel was not blocked"
  exit 1
fi
grep -q "AL401 timeout-above-interval" commit.log || { cat commit.log; echo "FAIL: the finding was not printed"; exit 1; }
grep -q "package.json" commit.log && { cat commit.log; echo "FAIL: package.json was linted"; exit 1; }
echo "blocked, with the finding printed:"
grep -E "×|AL401" commit.log | head -3

cp "$repo/samples/valid/builtin-ip.yaml" orders.yaml
git add orders.yaml
git commit -qm "add a good channel" > commit.log 2>&1 || { cat commit.log; echo "FAIL: the fixed channel was blocked"; exit 1; }
echo "allowed once fixed"

# The same with the `language: python` hook: pre-commit pip-installs this repository, pip builds
# the wheel with maturin.
sed -i 's/- id: apig-lint$/- id: apig-lint-python/' .pre-commit-config.yaml
grep -q "id: apig-lint-python" .pre-commit-config.yaml || { echo "FAIL: could not switch hooks"; exit 1; }
cp "$repo/samples/rules/timeout-above-interval/invalid-greater.yaml" orders.yaml
git add orders.yaml .pre-commit-config.yaml
if pre-commit run --files orders.yaml > hook.log 2>&1; then
  cat hook.log; echo "FAIL: apig-lint-python passed a bad channel"; exit 1
fi
grep -q "AL401 timeout-above-interval" hook.log || { cat hook.log; echo "FAIL: apig-lint-python printed no finding"; exit 1; }
cp "$repo/samples/valid/builtin-ip.yaml" orders.yaml
git add orders.yaml
pre-commit run --files orders.yaml > hook.log 2>&1 || { cat hook.log; echo "FAIL: apig-lint-python blocked a good channel"; exit 1; }
echo "apig-lint-python: blocked, then allowed once fixed"
echo "pre-commit: 4 passed, 0 failed"
