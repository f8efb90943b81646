#!/usr/bin/env bash
# The Python wheel as a user gets it: build it with maturin (from PyPI), install it into a fresh
# virtual environment with no Rust toolchain involved, and run `apig-lint` from there. Then the
# two pre-commit hooks that use an installed binary: `apig-lint-system` (the binary on PATH) and a
# `local` hook of `language: python` with the wheel as `additional_dependencies` (what a team
# without Rust writes, with `apig-lint==VERSION` from PyPI in place of the wheel's path).
#
# WHEEL_PROFILE picks the cargo profile: `dev` (default) reuses what `cargo test` built and takes
# seconds; `release` or `dist` build what is published (bench/RESULTS.md has the times).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
profile="${WHEEL_PROFILE:-dev}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { echo "FAIL: $1"; exit 1; }

python3 -m venv "$work/tools"
"$work/tools/bin/pip" install --quiet "maturin>=1.7,<2" pre-commit

echo "== maturin build --profile $profile"
start=$(date +%s)
"$work/tools/bin/maturin" build --quiet --locked --profile "$profile" \
  --manifest-path "$repo/Cargo.toml" --out "$work/wheels" 2>&1 | grep -vE "^\s*(Compiling|Finished)" || true
echo "built in $(( $(date +%s) - start )) s: $(cd "$work/wheels" && ls)"
wheel="$(ls "$work"/wheels/apig_lint-*.whl)"
# Listed first, then searched: `grep -q` stops reading early, which under pipefail fails the pipe.
listing="$(python3 -m zipfile -l "$wheel")"
grep -q "apig_lint-.*\.data/scripts/apig-lint" <<< "$listing" || fail "the wheel holds no apig-lint script"
pass "the wheel holds the binary as a script"

# A fresh environment, the wheel alone, no index: nothing else is needed at run time.
python3 -m venv "$work/user"
"$work/user/bin/pip" install --quiet --no-index "$wheel"
bin="$work/user/bin/apig-lint"
[ -x "$bin" ] || fail "pip put no apig-lint in the environment's bin/"
version="$("$bin" --version)"
echo "$version"
[[ "$version" =~ ^apig-lint\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-z]+,\ [0-9]+\ rules,\ API\ page\ of\ 2024-11-11\)$ ]] \
  || fail "--version does not say version, commit, rules and page date: $version"
pass "apig-lint --version from the wheel"

"$bin" check "$repo/samples/valid/builtin-ip.yaml" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "a valid sample failed"; }
pass "apig-lint check on a valid sample exits 0"
set +e
"$bin" check --format concise "$repo/samples/rules/timeout-above-interval/invalid-greater.yaml" > "$work/out.txt" 2>&1
code=$?
set -e
if [ "$code" != 1 ] || ! grep -q "error\[AL401\]" "$work/out.txt"; then
  cat "$work/out.txt"; fail "an invalid sample gave exit $code"
fi
pass "apig-lint check on an invalid sample exits 1 with the finding"

# The hooks, in a throwaway repository, through the real pre-commit client.
export PRE_COMMIT_HOME="$work/cache"
mkdir "$work/project" && cd "$work/project"
git init -q
git config user.email ci@example.invalid
git config user.name ci
hook_blocks_then_passes() { # name
  cp "$repo/samples/rules/timeout-above-interval/invalid-greater.yaml" orders.yaml
  git add orders.yaml .pre-commit-config.yaml
  if "$work/tools/bin/pre-commit" run --files orders.yaml > hook.log 2>&1; then
    cat hook.log; fail "$1: a bad channel passed"
  fi
  grep -q "AL401" hook.log || { cat hook.log; fail "$1: the finding was not printed"; }
  cp "$repo/samples/valid/builtin-ip.yaml" orders.yaml
  git add orders.yaml
  "$work/tools/bin/pre-commit" run --files orders.yaml > hook.log 2>&1 || { cat hook.log; fail "$1: a good channel was blocked"; }
  pass "$1 hook blocks a bad channel and passes a good one"
}

cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $repo
    rev: $(git -C "$repo" rev-parse HEAD)
    hooks:
      - id: apig-lint-system
        files: ^orders\.yaml$
CONFIG
PATH="$work/user/bin:$PATH" hook_blocks_then_passes apig-lint-system

cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: local
    hooks:
      - id: apig-lint
        name: apig-lint
        entry: apig-lint check --channels-only
        language: python
        additional_dependencies: ["$wheel"]
        types_or: [json, yaml]
CONFIG
hook_blocks_then_passes "local language: python (wheel)"

echo "wheel: $passed passed, 0 failed"
