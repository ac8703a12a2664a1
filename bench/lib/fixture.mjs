// A throw-away agentmux installation for one bench: temp config and state roots, a bundle
// TOML, the relay started through the client's auto-start, and a cleanup that always runs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INSTALL_VARIABLE, installRoot } from './install.mjs';

/** Absolute path of the agentmux build's dist/ directory the benches run. */
export const DIST_DIR = join(installRoot(), 'dist');

/** Absolute path of bin/agentmux, the entry point the client spawns the relay with. */
export const AGENTMUX_BIN = join(installRoot(), 'bin', 'agentmux');

const { openRelay } = await import(pathToFileURL(join(DIST_DIR, 'client.js')).href);

// A bench run inside an agentmux pane must not talk to (or spawn) that pane's relay.
for (const key of Object.keys(process.env)) {
  if (key.startsWith('AGENTMUX_') && key !== INSTALL_VARIABLE) delete process.env[key];
}
delete process.env.TMUX;
delete process.env.TMUX_PANE;

const live = new Set();

/** Creates roots with bundle `bundle` holding socket-only `sessions` plus operator `user`. */
export function createFixture({ bundle = 'bench', sessions = ['alice', 'bob'], prefix = 'agentmux-bench' } = {}) {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const configDir = join(root, 'config');
  const stateDir = join(root, 'state');
  mkdirSync(join(configDir, 'bundles'), { recursive: true, mode: 0o700 });
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const lines = ['format-version = 1', ''];
  for (const id of sessions) lines.push('[[sessions]]', `id = "${id}"`, `directory = "${root}"`, '');
  writeFileSync(join(configDir, 'bundles', `${bundle}.toml`), lines.join('\n'));
  const tui = [`default-bundle = "${bundle}"`, 'default-session = "user"', '', '[[sessions]]', 'id = "user"', ''];
  writeFileSync(join(configDir, 'tui.toml'), tui.join('\n'));
  const bundleDir = join(stateDir, 'bundles', bundle);
  const fixture = {
    root,
    bundle,
    roots: { configDir, stateDir },
    socket: join(bundleDir, 'relay.sock'),
    lockFile: join(bundleDir, 'relay.lock'),
    journal: join(bundleDir, 'journal.db'),
    log: join(bundleDir, 'relay.log'),
    /** Environment for a CLI child acting in this fixture (as operator `user`). */
    env: { ...process.env, AGENTMUX_CONFIG_DIR: configDir, AGENTMUX_STATE_DIR: stateDir },
  };
  live.add(fixture);
  return fixture;
}

/** Opens a hello'd client as `session` (or an observer), starting the relay when allowed. */
export function connect(fixture, session, { autoStart = true, role = 'agent' } = {}) {
  return openRelay({
    roots: fixture.roots,
    identity:
      session === undefined ? { bundle: fixture.bundle, role: 'observer' } : { bundle: fixture.bundle, session, role },
    clientName: 'agentmux-bench',
    clientVersion: '0',
    autoStart,
    entryPoint: AGENTMUX_BIN,
  });
}

/** The relay's pid from relay.lock, or undefined when none is recorded. */
export function relayPid(fixture) {
  if (!existsSync(fixture.lockFile)) return undefined;
  const pid = Number.parseInt(readFileSync(fixture.lockFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Asks the relay to shut down, then waits for its pid to go (SIGTERM, then SIGKILL). */
export async function stopRelay(fixture) {
  const pid = relayPid(fixture);
  if (pid === undefined || !alive(pid)) return;
  try {
    const observer = await connect(fixture, undefined, { autoStart: false });
    try {
      await observer.request('relay.shutdown', {}, { timeoutMs: 5_000 });
    } finally {
      observer.close();
    }
  } catch {
    // Fall through to signals below.
  }
  for (const signal of [undefined, 'SIGTERM', 'SIGKILL']) {
    if (signal) signalPid(pid, signal);
    for (let i = 0; i < 100 && alive(pid); i += 1) await sleep(20);
    if (!alive(pid)) return;
  }
}

/** Stops the relay and removes the fixture's directories. */
export async function disposeFixture(fixture) {
  try {
    await stopRelay(fixture);
  } finally {
    rmSync(fixture.root, { recursive: true, force: true });
    live.delete(fixture);
  }
}

/** The last lines of the relay log, for error reports. */
export function relayLogTail(fixture, lines = 20) {
  try {
    return readFileSync(fixture.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no relay log)';
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

// Interrupted runs still kill their relays and remove their temp dirs.
function disposeAllNow() {
  for (const fixture of live) {
    const pid = relayPid(fixture);
    if (pid !== undefined) signalPid(pid, 'SIGKILL');
    rmSync(fixture.root, { recursive: true, force: true });
  }
  live.clear();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    disposeAllNow();
    process.exit(130);
  });
}
process.once('exit', disposeAllNow);
