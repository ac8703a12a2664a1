// A team at tmux speed: 30 scripted agents (examples/scripted-agent.mjs, busy 200 ms per
// message) in one bundle's private tmux server. The operator broadcasts 5 times, 4 s apart;
// each sample is the time from the send request's start to the agent's own AGENT_LOG line for
// that message (readiness, paste, submit delay, Enter, the agent's submit). Then a 10-hop reply
// chain across 3 agents (a → b → c → a …, each handing off after 200 ms of work), timed from the
// operator's send to the tenth agent's log of it. Targets (issue 17): broadcast p50 < 400 ms,
// p99 < 1 s; chain < 4 s.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';
import { SCRIPTED_AGENT_PATH, shellWord, sleep, trackTmuxSocket, waitUntil } from './lib/tmux.mjs';

const AGENTS = 30;
const BROADCASTS = 5;
const BROADCAST_GAP_MS = 4_000;
const THINK_MS = 200;
const QUIET_WINDOW_MS = 300;
const SUBMIT_DELAY_MS = 50;
const CHAIN_HOPS = 10;
const CHAIN = ['ca', 'cb', 'cc'];

const toml = (value) => JSON.stringify(value);

/** coders.toml with one scripted coder per agent (its own log), and the bundle of them. */
function writeTeam(fixture, agents) {
  const coders = ['format-version = 1', ''];
  const bundle = ['format-version = 1', ''];
  for (const agent of agents) {
    const env = {
      AGENT_NAME: agent.id,
      AGENT_LOG: logOf(fixture, agent.id),
      AGENT_THINK_MS: String(THINK_MS),
      ...agent.env,
    };
    const environment = Object.entries(env).map(([name, value]) => `{ name = ${toml(name)}, value = ${toml(value)} }`);
    coders.push(
      '[[coders]]',
      `id = ${toml(`scripted-${agent.id}`)}`,
      '[coders.tmux]',
      `initial-command = ${toml(`${shellWord(process.execPath)} ${shellWord(SCRIPTED_AGENT_PATH)}`)}`,
      `prompt-regex = ${toml('(?m)^agent>$')}`,
      `busy-regex = ${toml('thinking…')}`,
      `quiet-window-ms = ${QUIET_WINDOW_MS}`,
      `submit-delay-ms = ${SUBMIT_DELAY_MS}`,
      `environment = [${environment.join(', ')}]`,
      '',
    );
    bundle.push('[[sessions]]', `id = ${toml(agent.id)}`, `directory = ${toml(fixture.root)}`);
    bundle.push(`coder = ${toml(`scripted-${agent.id}`)}`, '');
  }
  writeFileSync(join(fixture.roots.configDir, 'coders.toml'), coders.join('\n'));
  writeFileSync(join(fixture.roots.configDir, 'bundles', `${fixture.bundle}.toml`), bundle.join('\n'));
}

const logOf = (fixture, agent) => join(fixture.root, `${agent}.agent-log.jsonl`);

/** The agent's logged prompts, `{ at: ms since epoch, text }`. */
function logged(fixture, agent) {
  let text = '';
  try {
    text = readFileSync(logOf(fixture, agent), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = JSON.parse(line);
      return { at: Date.parse(entry.at), text: entry.text };
    });
}

/** Starts a team in a fresh fixture; resolves to `{ fixture, client, dispose }`. */
async function startTeam(lib, bundle, agents) {
  const fixture = lib.createFixture({ prefix: `agentmux-bench-${bundle}`, bundle, sessions: [] });
  writeTeam(fixture, agents);
  const killTmux = trackTmuxSocket(join(fixture.roots.stateDir, 'bundles', bundle, 'tmux.sock'));
  const client = await lib.connect(fixture, 'user', { role: 'operator' });
  const dispose = async () => {
    client.close();
    killTmux();
    await lib.disposeFixture(fixture);
  };
  try {
    const ids = agents.map((agent) => agent.id);
    const up = await client.request('up', { sessions: ids, cols: 120, rows: 30 }, { timeoutMs: 120_000 });
    const failed = up.sessions.filter((s) => s.outcome !== 'created');
    if (failed.length > 0) throw new Error(`up: ${JSON.stringify(failed)}`);
    // Every agent at its prompt (its status idle) before the clock starts.
    await waitUntil(
      'every agent idle',
      async () => {
        const status = await client.request('status', {});
        const idle = status.sessions.filter((s) => ids.includes(s.id) && s.state === 'idle');
        return idle.length === ids.length;
      },
      { timeoutMs: 120_000, everyMs: 250 },
    );
  } catch (error) {
    const tail = lib.relayLogTail(fixture);
    await dispose();
    throw new Error(`${error?.message ?? error}\nrelay log tail:\n${tail}`, { cause: error });
  }
  return { fixture, client, dispose };
}

async function broadcasts(lib) {
  const agents = Array.from({ length: AGENTS }, (_, i) => ({ id: `a${String(i + 1).padStart(2, '0')}` }));
  const team = await startTeam(lib, 'bcast', agents);
  try {
    const runs = [];
    for (let run = 0; run < BROADCASTS; run += 1) {
      if (run > 0) await sleep(BROADCAST_GAP_MS);
      const marker = `broadcast-${run}-${process.pid}`;
      const started = Date.now();
      await team.client.request('send', { broadcast: true, body: `${marker} please look`, request_id: marker });
      const seen = await waitUntil(
        `every agent to log broadcast ${run + 1}`,
        () => {
          const at = [];
          for (const agent of agents) {
            const hits = logged(team.fixture, agent.id).filter((entry) => entry.text.includes(marker));
            if (hits.length > 1) throw new Error(`${agent.id} submitted broadcast ${run + 1} ${hits.length} times`);
            if (hits.length === 0) return undefined;
            at.push(hits[0].at - started);
          }
          return at;
        },
        { timeoutMs: 60_000, everyMs: 20 },
      );
      const summary = latencySummary(seen);
      runs.push({ samples: seen, summary });
      say(
        `broadcast ${run + 1}: p50 ${summary.p50} ms  p99 ${summary.p99} ms  max ${summary.max} ms` +
          `  (load ${loadavg()[0].toFixed(1)})`,
      );
    }
    return runs;
  } finally {
    await team.dispose();
  }
}

async function chain(lib) {
  const agents = CHAIN.map((id, i) => ({ id, env: { AGENT_HANDOFF: CHAIN[(i + 1) % CHAIN.length] } }));
  const team = await startTeam(lib, 'chain', agents);
  try {
    const marker = `chain-${process.pid}`;
    const started = Date.now();
    await team.client.request('send', { to: [CHAIN[0]], body: `${marker} start the chain`, request_id: marker });
    // Each agent hands off 3 times (AGENT_MAX_REPLIES default), so the chain stops after 10 hops.
    const hops = await waitUntil(
      `${CHAIN_HOPS} hops`,
      () => {
        const all = CHAIN.flatMap((id) => logged(team.fixture, id).filter((entry) => entry.text.includes(marker)));
        return all.length >= CHAIN_HOPS ? all.map((entry) => entry.at).sort((a, b) => a - b) : undefined;
      },
      { timeoutMs: 60_000, everyMs: 20 },
    );
    const total = hops[CHAIN_HOPS - 1] - started;
    say(`reply chain: ${CHAIN_HOPS} hops in ${total} ms (${(total / CHAIN_HOPS).toFixed(0)} ms a hop)`);
    return total;
  } finally {
    await team.dispose();
  }
}

try {
  const lib = await import('./lib/fixture.mjs');
  say(
    `${AGENTS} scripted agents (busy ${THINK_MS} ms, quiet window ${QUIET_WINDOW_MS} ms, submit delay ` +
      `${SUBMIT_DELAY_MS} ms); ${BROADCASTS} broadcasts ${BROADCAST_GAP_MS} ms apart; load ${loadavg()[0].toFixed(1)}`,
  );
  const runs = await broadcasts(lib);
  const all = latencySummary(runs.flatMap((run) => run.samples));
  say(`all broadcasts: p50 ${all.p50} ms  p99 ${all.p99} ms  max ${all.max} ms`);
  const chainMs = await chain(lib);
  printResult('team-broadcast', {
    agents: AGENTS,
    broadcasts: BROADCASTS,
    broadcast_p50_ms: round(all.p50, 1),
    broadcast_p99_ms: round(all.p99, 1),
    broadcast_max_ms: round(all.max, 1),
    chain_hops: CHAIN_HOPS,
    chain_ms: round(chainMs, 1),
    load: round(loadavg()[0], 2),
  });
} catch (error) {
  process.stderr.write(`team-broadcast failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
