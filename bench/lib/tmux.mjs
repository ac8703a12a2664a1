// What the tmux benches share: the tmux transport classes (bundled on the fly from the
// working tree's src/, since no built entry exports them), a private tmux server on a socket
// under its own temp dir that is always killed at the end, and small polling helpers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './install.mjs';

/** Absolute path of the offline stand-in agent the injection bench types into. */
export const SCRIPTED_AGENT_PATH = join(REPO_ROOT, 'examples', 'scripted-agent.mjs');

/**
 * Bundles src/transports/tmux/index.ts (everything inlined, only node: builtins left as
 * imports, so the bundle loads from a temp dir without node_modules) and imports it.
 */
export async function loadTmuxTransport() {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-tmuxlib-'));
  try {
    const outfile = join(dir, 'tmux-transport.mjs');
    await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: ['src/transports/tmux/index.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const live = new Set();

/** The tmux client environment: ours without TMUX* and AGENTMUX_* (never a pane's own server). */
export function benchTmuxEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TMUX') && !name.startsWith('AGENTMUX_')) env[name] = value;
  }
  return env;
}

/**
 * Starts a private tmux server (with agentmux's generated tmux.conf) holding one detached
 * session `id` that runs `command` in a `width`×`height` pane. Resolves to the server, the
 * pane id, the temp dir (0700, usable for paste files) and an idempotent `dispose()`.
 */
export async function startPrivateTmux(tmux, { id = 'bench', command, env = {}, width = 200, height = 50 }) {
  const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-tmux-'));
  const socket = join(dir, 'tmux.sock');
  const server = new tmux.TmuxServer({ socket, confPath: join(dir, 'tmux.conf'), binary: 'tmux', env: benchTmuxEnv() });
  const handle = { dir, socket, server, paneId: '', dispose: () => killNow(handle) };
  live.add(handle);
  try {
    const created = await server.newSession({ id, cwd: dir, command, env, width, height });
    handle.paneId = created.paneId;
  } catch (error) {
    killNow(handle);
    throw error;
  }
  return handle;
}

/**
 * Takes charge of the tmux server on `socket` (started by someone else, e.g. a relay): it is
 * killed when the returned `kill()` is called (idempotent), or when this process exits.
 */
export function trackTmuxSocket(socket) {
  const handle = { socket, dir: undefined };
  live.add(handle);
  return () => killNow(handle);
}

// Synchronous so it also works from 'exit' and signal handlers.
function killNow(handle) {
  if (!live.delete(handle)) return;
  handle.server?.close();
  spawnSync('tmux', ['-S', handle.socket, 'kill-server'], { env: benchTmuxEnv(), stdio: 'ignore', timeout: 5_000 });
  if (handle.dir !== undefined) rmSync(handle.dir, { recursive: true, force: true });
}

function killAllNow() {
  for (const handle of [...live]) killNow(handle);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}
process.once('exit', killAllNow);

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check()` every `everyMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitUntil(what, check, { timeoutMs = 10_000, everyMs = 5 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Single-quotes `word` for sh. */
export function shellWord(word) {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
