// A team at tmux speed: 30 scripted agents (examples/scripted-agent.mjs, busy 200 ms per
// message) in one bundle's private tmux server. The operator broadcasts 5 times, 4 s apart;
// each sample is the time from the send request's start to the agent's own AGENT_LOG line for
// that message (readiness, paste, submit delay, Enter, the agent's submit). Then a 10-hop reply
// chain across 3 agents (a → b → c → a …, each handing off after 200 ms of work), timed from the
// operator's send to the tenth agent's log of it, with each hop's relay part (journaled →
// submitted) apart from the agent's (work + its `agentmux send` process). In between, a
// broadcast waits behind a draft in every composer: the relay's CPU while 30 deliveries wait,
// and the time from each draft's clearing to the submitted message (quiet window + typing).
// Targets (issue 17): broadcast p50 < 400 ms, p99 < 1 s; chain < 4 s.
// Knobs for a loaded machine: TEAM_BENCH_AGENTS (default 30), TEAM_BENCH_BROADCASTS (5),
// TEAM_BENCH_ONLY=broadcast|chain (both).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';
import { SCRIPTED_AGENT_PATH, shellWord, sleep, trackTmuxSocket, waitUntil } from './lib/tmux.mjs';

const AGENTS = positiveFromEnv('TEAM_BENCH_AGENTS', 30);
const BROADCASTS = positiveFromEnv('TEAM_BENCH_BROADCASTS', 5);
const ONLY = process.env.TEAM_BENCH_ONLY ?? '';
const BROADCAST_GAP_MS = 4_000;
const THINK_MS = 200;
const QUIET_WINDOW_MS = 300;
const SUBMIT_DELAY_MS = 50;
const CHAIN_HOPS = 10;
const CHAIN = ['ca', 'cb', 'cc'];
/** How long 30 deliveries wait behind drafts while the relay's CPU is measured. */
const DRAFT_WAIT_MS = 5_000;

function positiveFromEnv(name, fallback) {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

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
    await sleep(BROADCAST_GAP_MS);
    const drafts = await behindDrafts(lib, team, agents);
    return { runs, drafts };
  } finally {
    await team.dispose();
  }
}

/** `tmux -S <socket> ...args`; rejects on failure. */
function tmux(socket, args) {
  return new Promise((resolve, reject) => {
    execFile('tmux', ['-S', socket, ...args], { timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** CPU time (user + system, ms) the process has used so far, from /proc. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Every agent holds a draft in its composer, so a broadcast waits on 30 silent panes: the
 * relay's CPU over DRAFT_WAIT_MS is what waiting costs. Then each draft is cleared (the agent
 * redraws, then is quiet): each sample is the time from the clear to the agent's submitted
 * message, i.e. its quiet window plus the typing.
 */
async function behindDrafts(lib, team, agents) {
  const socket = join(team.fixture.roots.stateDir, 'bundles', team.fixture.bundle, 'tmux.sock');
  for (const agent of agents) await tmux(socket, ['send-keys', '-t', `=${agent.id}:`, '-l', 'x-draft-x']);
  await waitUntil(
    'every draft on screen',
    async () => {
      for (const agent of agents) {
        const screen = await tmux(socket, ['capture-pane', '-p', '-t', `=${agent.id}:`]);
        if (!screen.includes('agent> x-draft-x')) return undefined;
      }
      return true;
    },
    { timeoutMs: 30_000, everyMs: 50 },
  );
  const marker = `drafts-${process.pid}`;
  await team.client.request('send', { broadcast: true, body: `${marker} behind a draft`, request_id: marker });
  await sleep(1_000);
  const pid = lib.relayPid(team.fixture);
  const before = cpuMs(pid);
  await sleep(DRAFT_WAIT_MS);
  const relayCpuMs = cpuMs(pid) - before;
  const waiting = agents.filter((agent) => logged(team.fixture, agent.id).some((e) => e.text.includes(marker)));
  if (waiting.length > 0) throw new Error(`${waiting.length} agents got the message over their drafts`);
  const clearedAt = new Map();
  for (const agent of agents) {
    await tmux(socket, ['send-keys', '-t', `=${agent.id}:`, 'C-u']);
    clearedAt.set(agent.id, Date.now());
  }
  const samples = await waitUntil(
    'every agent to log the message held behind its draft',
    () => {
      const at = [];
      for (const agent of agents) {
        const hit = logged(team.fixture, agent.id).find((entry) => entry.text.includes(marker));
        if (!hit) return undefined;
        if (hit.text.includes('x-draft-x')) throw new Error(`${agent.id}: the message was typed over the draft`);
        at.push(hit.at - clearedAt.get(agent.id));
      }
      return at;
    },
    { timeoutMs: 60_000, everyMs: 20 },
  );
  const summary = latencySummary(samples);
  say(
    `behind drafts: relay CPU ${relayCpuMs} ms in ${DRAFT_WAIT_MS} ms of waiting (${(
      (relayCpuMs / DRAFT_WAIT_MS) *
      100
    ).toFixed(1)}% of a core); draft cleared → submitted p50 ${summary.p50} ms  max ${summary.max} ms`,
  );
  return { relayCpuMs, summary };
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
    // Each hop split in two: the relay's part (message journaled → the receiver's submitted
    // prompt) and the agent's (its work plus the `agentmux send` process that hands off).
    const { messages } = await team.client.request('history.search', { query: marker, limit: 100 });
    const relayPart = [];
    const agentPart = [];
    let submittedAt;
    for (const message of [...messages].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))) {
      const receiver = message.to[0];
      const journaledAt = Date.parse(message.created_at);
      if (submittedAt !== undefined) agentPart.push(journaledAt - submittedAt);
      const entry = logged(team.fixture, receiver).find((e) => e.text.includes(`--agentmux-${message.id}`));
      submittedAt = entry?.at;
      if (entry) relayPart.push(entry.at - journaledAt);
    }
    const relay = latencySummary(relayPart);
    const agent = latencySummary(agentPart);
    say(`  per hop, journaled → submitted: p50 ${relay.p50} ms  max ${relay.max} ms (${relayPart.length} hops)`);
    say(
      `  per hop, submitted → hand-off journaled (${THINK_MS} ms of work + \`agentmux send\`): ` +
        `p50 ${agent.p50} ms  max ${agent.max} ms (${agentPart.length} hand-offs)`,
    );
    return { total, relay, agent };
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
  const figures = { agents: AGENTS, broadcasts: BROADCASTS };
  if (ONLY !== 'chain') {
    const { runs, drafts } = await broadcasts(lib);
    const all = latencySummary(runs.flatMap((run) => run.samples));
    say(`all broadcasts: p50 ${all.p50} ms  p99 ${all.p99} ms  max ${all.max} ms`);
    Object.assign(figures, {
      broadcast_p50_ms: round(all.p50, 1),
      broadcast_p99_ms: round(all.p99, 1),
      broadcast_max_ms: round(all.max, 1),
      waiting_relay_cpu_pct: round((drafts.relayCpuMs / DRAFT_WAIT_MS) * 100, 1),
      draft_cleared_p50_ms: round(drafts.summary.p50, 1),
    });
  }
  if (ONLY !== 'broadcast') {
    const { total: chainMs, relay: hop, agent } = await chain(lib);
    Object.assign(figures, {
      chain_hops: CHAIN_HOPS,
      chain_ms: round(chainMs, 1),
      chain_hop_relay_p50_ms: round(hop.p50, 1),
      chain_hop_agent_p50_ms: round(agent.p50, 1),
    });
  }
  printResult('team-broadcast', { ...figures, load: round(loadavg()[0], 2) });
} catch (error) {
  process.stderr.write(`team-broadcast failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
