#!/usr/bin/env bash
# Runs each cargo-fuzz target for a while, seeded from samples/. Run by hand:
#   bash bench/fuzz.sh [seconds per target, default 600]
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (or RUSTC_BOOTSTRAP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then toolchain=(+nightly); else export RUSTC_BOOTSTRAP=1; fi
# The loaders run under AddressSanitizer (the default). The lint target renders every output
# format on each input, which ASan slows fivefold; apig-lint forbids unsafe code, so it runs
# without a sanitizer and gets five times the executions.
for target in load_json load_yaml lint config baseline render_names fix; do
  sanitizer=(); case "$target" in load_json|load_yaml) ;; *) sanitizer=(--sanitizer none) ;; esac
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  find samples -type f \( -name '*.json' -o -name '*.yaml' \) -exec cp {} "$corpus/" \;
  # The fix samples too (same base names in several directories: prefix the rule).
  [ "$target" = fix ] && for f in tests/fixes/*/*; do cp "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"; done
  # Configurations: the rule files are TOML of a similar shape; the README's example is the seed.
  [ "$target" = config ] && { find rules -name '*.toml' -exec cp {} "$corpus/" \; ; \
    sed -n '/^```toml$/,/^```$/p' README.md | grep -v '^```' > "$corpus/readme-example.toml"; }
  echo "== $target for ${seconds}s"
  cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 -timeout=5 -rss_limit_mb=2048 2>&1 \
    | tee "fuzz/$target.log" | grep -E '^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|artifact)' || true
done
