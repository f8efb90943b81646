#!/usr/bin/env bash
# Packages the `dist` build of one target as a release asset in assets/: a .tar.gz (a .zip for
# Windows) holding the binary and the README. Linux binaries must be static. Called by
# release.yml with the target triple and the tag; kept out of the workflow so shellcheck reads it.
set -euo pipefail
target="$1"
tag="$2"
name="apig-lint-${tag}-${target}"
mkdir -p "staging/$name" assets
cp README.md "staging/$name/"
case "$target" in
  *windows*)
    cp "target/$target/dist/apig-lint.exe" "staging/$name/"
    (cd staging && 7z a -tzip "../assets/$name.zip" "$name" > /dev/null)
    ;;
  *)
    cp "target/$target/dist/apig-lint" "staging/$name/"
    if [[ "$target" == *linux* ]]; then
      # Static: no interpreter, no shared libraries, runs on any Linux (`file` says "static-pie
      # linked" for glibc's static position-independent executables).
      file "staging/$name/apig-lint" | tee /dev/stderr | grep -Eq "statically linked|static-pie linked"
    fi
    tar -C staging -czf "assets/$name.tar.gz" "$name"
    ;;
esac
# Run it where the runner can (not the x86_64 macOS build on an arm64 runner without Rosetta).
if [[ "$target" != *windows* && "$target" != x86_64-apple-darwin ]]; then
  "staging/$name/apig-lint" --version
fi
ls -l assets
