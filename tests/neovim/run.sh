#!/usr/bin/env bash
# A real editor: headless Neovim (Debian's package) attaches `apig-lint lsp` to a YAML channel,
# asserts the diagnostics `vim.diagnostic.get` returns and applies a quick fix. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nvim >/dev/null || { echo "nvim is not installed (apt-get install neovim)" >&2; exit 1; }
cargo build --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.git"
cat > "$work/orders.yaml" <<'YAML'
name: orders
port: 8080
balance_strategy: 1
member_type: ip
type: 2
members:
  - host: 订单😀.example
vpc_health_config:
  protocol: TCP
  threshold_normal: 2
  threshold_abnormal: 5
  time_interval: 5
  timeout: 30
YAML
APIG_LINT="$PWD/target/debug/apig-lint" CHANNEL="$work/orders.yaml" \
  timeout 120 nvim --headless --clean -u NONE -c "luafile tests/neovim/attach.lua" 2>&1
echo; echo "neovim: ok"
