// The end-to-end part of bench/tmux-injection.mjs: `send` through a real relay to a scripted
// agent in the relay's own tmux pane, timed until the agent's AGENT_LOG holds the message
// (readiness check, paste, submit delay, Enter, the agent's submit). Loaded only when it runs,
// because lib/fixture.mjs imports the built client and rewrites the environment.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latencySummary } from './stats.mjs';
import { SCRIPTED_AGENT_PATH, benchTmuxEnv, shellWord, sleep, trackTmuxSocket, waitUntil } from './tmux.mjs';

const QUIET_WINDOW_MS = 300;
const SUBMIT_DELAY_MS = 50;
const BODY_BYTES = 1024;

const toml = (value) => JSON.stringify(value);

/**
 * Runs `runs` sends (after `warmup`) of a 1 KiB body from operator `user` to tmux agent `bob`.
 * Resolves to `{ e2e, answered, submitDelayMs, quietWindowMs }` (latency summaries in ms).
 */
export async function measureRelayToPane({ runs, warmup }) {
  const { connect, createFixture, disposeFixture, relayLogTail } = await import('./fixture.mjs');
  const fixture = createFixture({ prefix: 'agentmux-bench-tmuxe2e', sessions: ['bob'] });
  const agentLog = join(fixture.root, 'bob.agent-log.jsonl');
  writeTeam(fixture, agentLog);
  const tmuxSocket = join(fixture.roots.stateDir, 'bundles', fixture.bundle, 'tmux.sock');
  const killTmux = trackTmuxSocket(tmuxSocket);
  let client;
  try {
    client = await connect(fixture, 'user', { role: 'operator' });
    const up = await client.request('up', { sessions: ['bob'], cols: 200, rows: 50 }, { timeoutMs: 30_000 });
    const outcome = up.sessions.find((s) => s.id === 'bob');
    if (outcome?.outcome !== 'created') throw new Error(`up bob: ${JSON.stringify(outcome)}`);
    const bottomRow = () => {
      const screen = tmuxSync(tmuxSocket, ['capture-pane', '-p', '-t', '=bob:']);
      return screen.replace(/\s+$/, '').split('\n').pop()?.trimEnd() ?? '';
    };
    const logged = () => {
      try {
        return readFileSync(agentLog, 'utf8');
      } catch {
        return '';
      }
    };
    const e2e = [];
    const answered = [];
    for (let run = 0; run < warmup + runs; run += 1) {
      // Idle at the prompt and quiet for longer than the quiet window: ready at once.
      await waitUntil('bob at its prompt', () => bottomRow() === 'agent>');
      await sleep(QUIET_WINDOW_MS + 100);
      const marker = `e2e-marker-${run}-${process.pid}`;
      const body = `${'x'.repeat(BODY_BYTES - marker.length - 1)} ${marker}`;
      const started = performance.now();
      await client.request('send', { to: ['bob'], body, request_id: marker });
      const answeredAt = performance.now();
      await waitUntil(`bob's log to show run ${run}`, () => logged().includes(marker), { everyMs: 1 });
      if (run >= warmup) {
        e2e.push(performance.now() - started);
        answered.push(answeredAt - started);
      }
    }
    await client.request('down', { sessions: ['bob'] }, { timeoutMs: 30_000 });
    return {
      e2e: latencySummary(e2e),
      answered: latencySummary(answered),
      submitDelayMs: SUBMIT_DELAY_MS,
      quietWindowMs: QUIET_WINDOW_MS,
    };
  } catch (error) {
    throw new Error(`${error?.message ?? error}\nrelay log tail:\n${relayLogTail(fixture)}`, { cause: error });
  } finally {
    client?.close();
    // The relay leaves its agents running when it stops; a failed `down` must not leave them.
    killTmux();
    await disposeFixture(fixture);
  }
}

// coders.toml with one scripted coder, and the bundle: tmux agent `bob` (operator `user`
// comes from the fixture's tui.toml).
function writeTeam(fixture, agentLog) {
  const env = { AGENT_NAME: 'bob', AGENT_LOG: agentLog, AGENT_THINK_MS: '0' };
  const environment = Object.entries(env).map(([name, value]) => `{ name = ${toml(name)}, value = ${toml(value)} }`);
  const coders = [
    'format-version = 1',
    '',
    '[[coders]]',
    'id = "scripted"',
    '[coders.tmux]',
    `initial-command = ${toml(`${shellWord(process.execPath)} ${shellWord(SCRIPTED_AGENT_PATH)}`)}`,
    `prompt-regex = ${toml('(?m)^agent>$')}`,
    `busy-regex = ${toml('thinking…')}`,
    `quiet-window-ms = ${QUIET_WINDOW_MS}`,
    `submit-delay-ms = ${SUBMIT_DELAY_MS}`,
    `environment = [${environment.join(', ')}]`,
    '',
  ];
  writeFileSync(join(fixture.roots.configDir, 'coders.toml'), coders.join('\n'));
  const bundle = ['format-version = 1', '', '[[sessions]]', 'id = "bob"', `directory = ${toml(fixture.root)}`];
  bundle.push('coder = "scripted"', '');
  writeFileSync(join(fixture.roots.configDir, 'bundles', `${fixture.bundle}.toml`), bundle.join('\n'));
}

function tmuxSync(socket, args) {
  const result = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', env: benchTmuxEnv(), timeout: 5_000 });
  return result.status === 0 ? result.stdout : '';
}
