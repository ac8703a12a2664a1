#!/usr/bin/env bash
# Installs agentmux the way users do and runs it: `npm pack` → `npm install -g <tarball>` into
# a clean prefix (no dev dependencies), then --version, the offline demo, `up` of a scripted
# team with a delivered message, the dashboard in a private tmux server, and
# `npx --package <tarball> agentmux`.
# Prints the tarball's size and the install time. Everything runs under a temp root.
# Usage: scripts/test-packed-install.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/agentmux-pack-XXXXXX")
TUI_SOCK="$TMP/tui-tmux.sock"

cleanup() {
  set +e
  agentmux down >/dev/null 2>&1
  agentmux relay stop >/dev/null 2>&1
  tmux -S "$TUI_SOCK" kill-server >/dev/null 2>&1
  find "$TMP" -name tmux.sock -exec tmux -S {} kill-server \; >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "packed-install: FAILED: $*" >&2
  exit 1
}

cd "$ROOT"
VERSION=$(node -p 'require("./package.json").version')
TARBALL="$TMP/$(npm pack --silent --pack-destination "$TMP" | tail -1)"
echo "packed-install: $(basename "$TARBALL") $(du -k "$TARBALL" | cut -f1) KiB, $(tar -tzf "$TARBALL" | wc -l) files"
if tar -tzf "$TARBALL" | grep -E '^package/(src|test|bench|scripts)/|\.map$'; then
  fail "the tarball carries sources, tests, benches or source maps (listed above)"
fi

PREFIX="$TMP/prefix"
start=$SECONDS
npm install -g --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "$TARBALL"
echo "packed-install: npm install -g took $((SECONDS - start))s"
INSTALLED="$PREFIX/lib/node_modules/agentmux"
for dev in vitest esbuild typescript eslint prettier; do
  [ ! -e "$INSTALLED/node_modules/$dev" ] || fail "dev dependency $dev was installed"
done

# Only the installed command from here on, with private roots and no inherited identity.
for var in $(env | grep -o '^AGENTMUX_[A-Z_]*' || true); do unset "$var"; done
unset TMUX TMUX_PANE
export PATH="$PREFIX/bin:$PATH"
export AGENTMUX_CONFIG_DIR="$TMP/config" AGENTMUX_STATE_DIR="$TMP/state"
cd "$TMP"
[ "$(command -v agentmux)" = "$PREFIX/bin/agentmux" ] || fail "agentmux is not the installed command"
[ "$(agentmux --version)" = "$VERSION" ] || fail "--version printed $(agentmux --version), want $VERSION"
echo "packed-install: agentmux --version = $VERSION"

agentmux demo >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log"; fail "the offline demo failed"; }
grep -q 'tasks went you → planner → coder → reviewer → you' "$TMP/demo.log" || fail "the demo did not finish"
echo "packed-install: agentmux demo ok"

# A scripted team of one, from the installed examples.
mkdir -p "$AGENTMUX_CONFIG_DIR/bundles" "$TMP/work"
cat >"$AGENTMUX_CONFIG_DIR/coders.toml" <<TOML
format-version = 1
[[coders]]
id = "bot"
[coders.tmux]
initial-command = "node $INSTALLED/examples/scripted-agent.mjs"
prompt-regex = "(?m)^agent>\$"
busy-regex = "thinking…"
quiet-window-ms = 200
submit-delay-ms = 40
environment = [{ name = "AGENT_NAME", value = "solo" }, { name = "AGENT_THINK_MS", value = "50" }]
TOML
cat >"$AGENTMUX_CONFIG_DIR/bundles/pack.toml" <<TOML
format-version = 1
[[sessions]]
id = "solo"
coder = "bot"
directory = "$TMP/work"
TOML
cat >"$AGENTMUX_CONFIG_DIR/tui.toml" <<TOML
default-bundle = "pack"
default-session = "you"
[[sessions]]
id = "you"
TOML
# json PATH: prints one field of the JSON on stdin (node is on PATH: npm needs it).
json() { node -e 'let t="";process.stdin.on("data",(d)=>(t+=d)).on("end",()=>{let v=JSON.parse(t);for(const k of process.argv[1].split("."))v=v[k];console.log(v)})' "$1"; }
[ "$(agentmux up --json | json sessions.0.outcome)" = created ] || fail "up did not create the agent"
[ "$(agentmux send -t solo -m "hello from the packed install" --wait --json | json results.0.outcome)" = delivered ] ||
  fail "the message was not delivered"
echo "packed-install: up + send --wait delivered"

tmux -S "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
  "env PATH='$PATH' AGENTMUX_CONFIG_DIR='$AGENTMUX_CONFIG_DIR' AGENTMUX_STATE_DIR='$AGENTMUX_STATE_DIR' agentmux tui"
shown=0
for _ in $(seq 1 300); do
  if tmux -S "$TUI_SOCK" capture-pane -p 2>/dev/null | grep -q 'solo'; then shown=1; break; fi
  sleep 0.1
done
[ "$shown" = 1 ] || { tmux -S "$TUI_SOCK" capture-pane -p; fail "the dashboard did not show the team"; }
tmux -S "$TUI_SOCK" kill-server
echo "packed-install: agentmux tui showed the team"
agentmux down >/dev/null
agentmux relay stop >/dev/null

mkdir -p "$TMP/npx" && cd "$TMP/npx"
start=$SECONDS
[ "$(npx --yes --cache "$TMP/npx-cache" --package "$TARBALL" agentmux --version)" = "$VERSION" ] ||
  fail "npx --package <tarball> agentmux --version"
echo "packed-install: npx --package <tarball> agentmux --version ok ($((SECONDS - start))s)"
echo "packed-install: ok"
