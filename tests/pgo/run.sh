#!/usr/bin/env bash
# The release's Linux build: .github/scripts/pgo-build.sh (profile-guided optimisation) runs here
# as release.yml runs it, and the binary it makes must say exactly what the test build says, in
# every format, on one thread and on two. PGO may change how fast apig-lint is, never what it finds.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
host="$(rustc -vV | sed -n 's/^host: //p')"
flags=""
[[ "$host" == *-linux-gnu ]] && flags="-C target-feature=+crt-static"
RUSTFLAGS="$flags" bash .github/scripts/pgo-build.sh "$host"
built="target/$host/dist/apig-lint"
cargo build --locked --quiet
reference="target/debug/apig-lint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

compared=0
for format in human concise json github sarif junit gitlab; do
  for threads in 1 2; do
    # Exit codes too: 1, since samples/ holds findings on purpose.
    set +e
    "$reference" check --threads "$threads" --format "$format" samples > "$work/reference" 2>&1
    expected=$?
    "$built" check --threads "$threads" --format "$format" samples > "$work/built" 2>&1
    actual=$?
    set -e
    if [ "$expected" != "$actual" ] || ! cmp -s "$work/reference" "$work/built"; then
      diff "$work/reference" "$work/built" | head -20 || true
      echo "FAIL: --format $format --threads $threads: the PGO build says otherwise (exit $actual, expected $expected)"
      exit 1
    fi
    compared=$((compared + 1))
  done
done
# And what --fix would write (as a diff: nothing is written).
"$reference" check --fix --diff samples > "$work/reference" 2>&1 || true
"$built" check --fix --diff samples > "$work/built" 2>&1 || true
cmp "$work/reference" "$work/built"
compared=$((compared + 1))
"$built" --version
echo "pgo: the PGO build agrees with the test build in $compared runs (7 formats on 1 and 2 threads, --fix --diff)"
