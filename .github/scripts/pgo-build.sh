#!/usr/bin/env bash
# Builds the `dist` binary for a target with profile-guided optimisation (PGO), where cargo builds
# it without: target/<target>/dist/apig-lint. Called by release.yml for the Linux binaries, by
# bench/run.py for the binary it times, and by .ci/run.
#
#   bash .github/scripts/pgo-build.sh TARGET     (RUSTFLAGS, if set, apply to both builds)
#
# 1. An instrumented build (rustc's -Cprofile-generate) into target/pgo/, with atomic counters.
# 2. It runs pgo_train.py: the bundled samples through `check` and the language server.
# 3. llvm-profdata (rustup's llvm-tools component, the same LLVM as rustc's) merges the counts.
# 4. The real build reads them (-Cprofile-use): inlining and code layout follow what runs, and on
#    Linux the hot code is laid out together (below).
#
# PGO changes how the code is compiled, never what it does: .ci/run compares the binary's output
# on samples/ with the test build's. Measured in bench/RESULTS.md ("Ninth pass").
set -euo pipefail
target="$1"
cd "$(dirname "$0")/../.."
root="$(pwd)"
profiles="$root/target/pgo/profiles"
merged="$root/target/pgo/merged.profdata"
exe=""
[[ "$target" == *windows* ]] && exe=".exe"

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata$exe"
# Added here, where it is used (release.yml and .ci/run do not install it).
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools
fi
python="$(command -v python3 || command -v python)"

rm -rf "$profiles" "$root"/target/pgo/*.profdata
mkdir -p "$profiles"
base="${RUSTFLAGS:-}"

echo "== pgo: instrumented build ($target)"
# Atomic counters: the language server's threads lose no counts. (Profiles still differ a little
# from run to run, where hash maps' random seeds change a few counts; the code does not.)
RUSTFLAGS="$base -Cprofile-generate=$profiles -Cllvm-args=-instrprof-atomic-counter-update-all" \
  cargo build --locked --profile dist --target "$target" --target-dir target/pgo/build

echo "== pgo: training"
LLVM_PROFILE_FILE="$profiles/apig-lint-%m.profraw" \
  "$python" .github/scripts/pgo_train.py "target/pgo/build/$target/dist/apig-lint$exe"
"$profdata" merge -o "$merged" "$profiles"
# Named by its content: cargo rebuilds when the flags change, not when a file they name does.
digest="$("$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()[:16])' "$merged")"
profile="$root/target/pgo/$digest.profdata"
cp "$merged" "$profile"

# With the profile, LLVM marks functions hot or cold; on Linux the linker keeps the hot ones
# together (-z keep-text-section-prefix), and on x86_64 LLVM also moves the cold blocks of hot
# functions out of them (machine function splitting). The code a run touches then spans fewer
# pages: 1,000 files' peak RSS 6.7 MB with the profile alone, 5.96 MB with both, 5.8 MB without
# PGO (each binary read back from disk before it ran; bench/RESULTS.md, "Ninth pass").
layout=""
if [[ "$target" == *-linux-* ]]; then
  layout="-Clink-arg=-Wl,-z,keep-text-section-prefix"
  [[ "$target" == x86_64-* ]] && layout="$layout -Cllvm-args=-enable-split-machine-functions"
  # A static binary relocates itself before `main`: 7,300 relocations, held as 175 KB of RELA
  # entries, which packed (RELR) take 3.4 KB. One file's run: 1.09 to 0.97 ms (bench/RESULTS.md,
  # "Eleventh pass"). The static binary carries its own start-up code, so this needs nothing of
  # the machine it runs on; a dynamic one would need glibc 2.36, hence only with crt-static.
  if [[ "$base" == *crt-static* ]]; then
    layout="$layout -Clink-arg=-Wl,-z,pack-relative-relocs"
  fi
fi

echo "== pgo: optimised build ($target)"
RUSTFLAGS="$base -Cprofile-use=$profile $layout" cargo build --locked --profile dist --target "$target"
echo "built target/$target/dist/apig-lint$exe with the profile of pgo_train.py"
