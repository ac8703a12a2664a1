// A throw-away agentmux installation for one reliability scenario: temp config and state
// roots, a team of socket sessions, scripted tmux agents and operators, clients of the BUILT
// relay, and a cleanup that stops every relay and private tmux server it started.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root (the suite runs the build in dist/ and bin/agentmux). */
export const REPO = resolve(import.meta.dirname, '../../..');
/** The CLI entry point the client spawns the relay with. */
export const AGENTMUX_BIN = join(REPO, 'bin', 'agentmux');
/** The offline stand-in agent the tmux sessions run. */
export const SCRIPTED_AGENT = join(REPO, 'examples', 'scripted-agent.mjs');

const { openRelay } = await import(pathToFileURL(join(REPO, 'dist', 'client.js')).href);

// The suite must never talk to (or spawn) the relay of an agentmux pane it runs inside.
for (const key of Object.keys(process.env)) if (key.startsWith('AGENTMUX_')) delete process.env[key];
delete process.env.TMUX;
delete process.env.TMUX_PANE;

const SUITE_ROOT = mkdtempSync(join(tmpdir(), 'amrel-'));
const live = new Set();

const toml = (value) => JSON.stringify(value);
const shellWord = (word) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Writes a bundle: `sockets` (sessions with no pane), `agents` (scripted tmux agents with
 * Settled 29 timing), `operators` (tui.toml) and optional `policies` {id: controls} with
 * `assign` {session: policyId}. Returns the fixture.
 */
export function createFixture({
  name,
  bundle = 'rel',
  sockets = [],
  agents = [],
  operators = ['user'],
  policies,
  assign = {},
  thinkMs = 10,
}) {
  const root = mkdtempSync(join(SUITE_ROOT, `${name}-`));
  const configDir = join(root, 'config');
  const stateDir = join(root, 'state');
  mkdirSync(join(configDir, 'bundles'), { recursive: true, mode: 0o700 });
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const bundleDir = join(stateDir, 'bundles', bundle);
  const logOf = (agent) => join(root, `${agent}.agent-log.jsonl`);
  const inputLogOf = (agent) => join(root, `${agent}.agent-input.jsonl`);
  const coders = ['format-version = 1', ''];
  for (const agent of agents) {
    const env = {
      AGENT_NAME: agent,
      AGENT_LOG: logOf(agent),
      AGENT_INPUT_LOG: inputLogOf(agent),
      AGENT_THINK_MS: String(thinkMs),
    };
    const environment = Object.entries(env).map(([k, v]) => `{ name = ${toml(k)}, value = ${toml(v)} }`);
    coders.push(
      '[[coders]]',
      `id = ${toml(`scripted-${agent}`)}`,
      '[coders.tmux]',
      `initial-command = ${toml(`${shellWord(process.execPath)} ${shellWord(SCRIPTED_AGENT)}`)}`,
      `prompt-regex = ${toml('(?m)^agent>$')}`,
      `busy-regex = ${toml('thinking…')}`,
      'quiet-window-ms = 50',
      'submit-delay-ms = 20',
      `environment = [${environment.join(', ')}]`,
      '',
    );
  }
  writeFileSync(join(configDir, 'coders.toml'), coders.join('\n'));
  const lines = ['format-version = 1', ''];
  for (const id of [...sockets, ...agents]) {
    lines.push('[[sessions]]', `id = ${toml(id)}`, `directory = ${toml(root)}`);
    if (agents.includes(id)) lines.push(`coder = ${toml(`scripted-${id}`)}`);
    if (assign[id]) lines.push(`policy = ${toml(assign[id])}`);
    lines.push('');
  }
  writeFileSync(join(configDir, 'bundles', `${bundle}.toml`), lines.join('\n'));
  const tui = ['format-version = 1', `default-bundle = ${toml(bundle)}`, `default-session = ${toml(operators[0])}`, ''];
  for (const id of operators) tui.push('[[sessions]]', `id = ${toml(id)}`, '');
  writeFileSync(join(configDir, 'tui.toml'), tui.join('\n'));
  if (policies) {
    const text = ['format-version = 1', ''];
    for (const [id, controls] of Object.entries(policies)) {
      text.push('[[policies]]', `id = ${toml(id)}`, '', '[policies.controls]');
      for (const [key, scope] of Object.entries(controls)) text.push(`${key} = ${toml(scope)}`);
      text.push('');
    }
    writeFileSync(join(configDir, 'policies.toml'), text.join('\n'));
  }
  const fixture = {
    root,
    bundle,
    agents,
    roots: { configDir, stateDir },
    bundleDir,
    socket: join(bundleDir, 'relay.sock'),
    lockFile: join(bundleDir, 'relay.lock'),
    journal: join(bundleDir, 'journal.db'),
    log: join(bundleDir, 'relay.log'),
    tmuxSocket: join(bundleDir, 'tmux.sock'),
    logOf,
    inputLogOf,
    env: { ...process.env, AGENTMUX_CONFIG_DIR: configDir, AGENTMUX_STATE_DIR: stateDir },
  };
  live.add(fixture);
  return fixture;
}

/** A hello'd client as `session` (operators get their role from the config). */
export function connect(fixture, session, { autoStart = true, role, bundle } = {}) {
  return openRelay({
    roots: fixture.roots,
    identity: {
      bundle: bundle ?? fixture.bundle,
      ...(session === undefined ? { role: 'observer' } : { session }),
      ...(role === undefined ? {} : { role }),
    },
    clientName: 'agentmux-reliability',
    clientVersion: '0',
    autoStart,
    entryPoint: AGENTMUX_BIN,
  });
}

/** Connects, retrying while a relay restarts (bounded by `timeoutMs`). */
export async function connectRetrying(fixture, session, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect(fixture, session);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(25);
    }
  }
}

/** The relay's pid from relay.lock, or undefined. */
export function relayPid(fixture) {
  if (!existsSync(fixture.lockFile)) return undefined;
  const pid = Number.parseInt(readFileSync(fixture.lockFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True while `pid` exists. */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the relay (SIGTERM, then SIGKILL) and waits for it to go. */
export async function stopRelay(fixture) {
  const pid = relayPid(fixture);
  if (pid === undefined || !alive(pid)) return;
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (let i = 0; i < 100 && alive(pid); i += 1) await sleep(30);
    if (!alive(pid)) return;
  }
}

/** Runs `tmux -S <the bundle's socket> ...args` (never the default server). */
export function tmux(fixture, args) {
  const result = spawnSync('tmux', ['-S', fixture.tmuxSocket, ...args], { encoding: 'utf8', timeout: 10_000 });
  return { code: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Everything the agent read from its terminal, raw and in order, as one string. */
export function agentInput(fixture, agent) {
  const path = fixture.inputLogOf(agent);
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .join('');
}

/** The prompts a scripted agent submitted, oldest first. */
export function agentLog(fixture, agent) {
  const path = fixture.logOf(agent);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** Starts the team's tmux agents through an operator's `up` and waits for their prompts. */
export async function upAgents(fixture, operator = 'user') {
  if (fixture.agents.length === 0) return;
  const client = await connect(fixture, operator);
  try {
    const up = await client.request('up', { sessions: fixture.agents, cols: 200, rows: 50 }, { timeoutMs: 60_000 });
    const bad = up.sessions.filter((s) => s.outcome !== 'created' && s.outcome !== 'kept');
    if (bad.length > 0) throw new Error(`up failed: ${JSON.stringify(bad)}`);
  } finally {
    client.close();
  }
  for (const agent of fixture.agents) {
    await waitFor(() => /agent>\s*$/.test(tmux(fixture, ['capture-pane', '-p', '-t', `=${agent}:`]).stdout.trimEnd()), {
      what: `${agent} at its prompt`,
      timeoutMs: 30_000,
    });
  }
}

/** VmRSS (KiB) and open descriptors of `pid`. */
export function processStats(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssKiB, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** The last lines of the relay log, for failure reports. */
export function relayLogTail(fixture, lines = 15) {
  try {
    return readFileSync(fixture.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no relay log)';
  }
}

/** Relay log entries at level error (internal failures). */
export function relayLogErrors(fixture) {
  if (!existsSync(fixture.log)) return [];
  return readFileSync(fixture.log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"level":"error"'));
}

/** Stops relays and tmux, removes the fixture's files. */
export async function disposeFixture(fixture) {
  if (process.env.RELIABILITY_KEEP === '1') {
    console.log(`kept ${fixture.root}`);
    live.delete(fixture);
    return;
  }
  try {
    await stopRelay(fixture);
  } finally {
    killTmux(fixture);
    // Backstop: a relay auto-started by a reconnecting client during teardown, or a tmux
    // server that missed kill-server, still names this fixture's root on its command line.
    killProcessesNaming(fixture.root);
    rmSync(fixture.root, { recursive: true, force: true });
    live.delete(fixture);
  }
}

/** SIGKILLs every process (but this one) whose command line contains `text`. */
function killProcessesNaming(text) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(text)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

function killTmux(fixture) {
  if (!existsSync(fixture.tmuxSocket)) return;
  try {
    execFileSync('tmux', ['-S', fixture.tmuxSocket, 'kill-server'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // already gone
  }
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `predicate` until true; throws after `timeoutMs`. */
export async function waitFor(predicate, { timeoutMs = 10_000, what = 'condition', everyMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Kills what every live fixture started and removes the suite's temp root. */
export function disposeAllNow() {
  if (process.env.RELIABILITY_KEEP === '1') return;
  for (const fixture of live) {
    const pid = relayPid(fixture);
    if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    killTmux(fixture);
  }
  live.clear();
  killProcessesNaming(SUITE_ROOT);
  rmSync(SUITE_ROOT, { recursive: true, force: true });
}
