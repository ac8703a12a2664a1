// Scenario 1: SIGKILL of the relay at random moments while N clients × M sends run, to a
// socket recipient (takes delivery, acks) and scripted tmux agents (≤ 5 % of messages).
// Senders resend unanswered requests with the same request_id after a loss, as the client
// contract says. Invariants: every answered message is journaled once, every delivery ends
// final, nobody sees a message twice, each recipient sees each sender's messages in order.
import { auditJournal, openDeliveries } from '../lib/journal.mjs';
import { startReceiver } from '../lib/receiver.mjs';
import { ms } from '../lib/table.mjs';
import {
  agentLog,
  connectRetrying,
  createFixture,
  disposeFixture,
  relayPid,
  sleep,
  upAgents,
  waitFor,
} from '../lib/fixture.mjs';

const WINDOW = 32;
/** One message in TMUX_EVERY goes to a tmux agent (2.5 %). */
const TMUX_EVERY = 40;

/** Sizes: CI 4 × 1,000 (Settled 29), full 8 × 5,000 (issue 8). */
export const CRASH_SIZES = {
  ci: { clients: 4, perClient: 1000, agents: 2, kills: 3 },
  full: { clients: 8, perClient: 5000, agents: 4, kills: 6 },
};

/** Runs the scenario; resolves to a table row with `failures`. */
export async function runCrash(size) {
  const { clients, perClient, agents: agentCount, kills: killCount } = CRASH_SIZES[size];
  const senders = Array.from({ length: clients }, (_, k) => `s${k}`);
  const agents = Array.from({ length: agentCount }, (_, k) => `t${k}`);
  const fixture = createFixture({ name: 'crash', sockets: [...senders, 'bob'], agents });
  const failures = [];
  const receiver = startReceiver(fixture, 'bob');
  try {
    await upAgents(fixture);
    const answered = new Map();
    const latencies = [];
    const total = clients * perClient;
    const kills = [];
    const thresholds = Array.from({ length: killCount }, (_, i) =>
      Math.floor(((i + 0.3 + Math.random() * 0.5) / (killCount + 0.5)) * total),
    );
    const killer = (async () => {
      for (const threshold of thresholds) {
        await waitFor(() => answered.size >= threshold, { timeoutMs: 600_000, what: 'send progress' });
        if (answered.size >= total) return;
        // A random moment within the next few ms, not just at the threshold.
        await sleep(Math.random() * 30);
        const pid = relayPid(fixture);
        if (pid === undefined) continue;
        process.kill(pid, 'SIGKILL');
        kills.push(answered.size);
        await waitFor(() => relayPid(fixture) !== pid, { timeoutMs: 30_000, what: 'a new relay' });
      }
    })();
    const targetOf = (k, j) => (j % TMUX_EVERY === 7 ? agents[(j + k) % agents.length] : 'bob');
    await Promise.all(
      senders.map((session, k) => sendAll(fixture, session, k, perClient, targetOf, answered, latencies)),
    );
    await killer;
    // One more kill while deliveries drain, so recovery of in-flight deliveries is exercised too.
    const drainPid = relayPid(fixture);
    if (drainPid !== undefined && (await openDeliveries(fixture.journal)) > 0) {
      process.kill(drainPid, 'SIGKILL');
      kills.push('drain');
      // Nothing else connects after the senders finish: the receiver's reconnect restarts it.
      await waitFor(() => relayPid(fixture) !== drainPid, { timeoutMs: 30_000, what: 'relay after drain kill' });
    }
    const expected = { bob: 0 };
    for (const agent of agents) expected[agent] = 0;
    for (let k = 0; k < clients; k += 1) for (let j = 0; j < perClient; j += 1) expected[targetOf(k, j)] += 1;
    const drainMs = size === 'ci' ? 120_000 : 600_000;
    // First every delivery final, then the recipients' own view catching up.
    await waitFor(async () => (await openDeliveries(fixture.journal)) === 0, {
      timeoutMs: drainMs,
      what: 'every delivery to be final',
      everyMs: 200,
    }).catch((error) => failures.push(error.message));
    await waitFor(
      () =>
        receiver.state.seen.length >= expected.bob &&
        agents.every((agent) => markers(agentLog(fixture, agent)).length >= expected[agent]),
      { timeoutMs: 5000, what: 'every recipient to see every message', everyMs: 200 },
    ).catch(() => undefined);

    const audit = auditJournal(fixture.journal, new Set(answered.values()));
    if (audit.total !== total) failures.push(`journal holds ${audit.total} messages, expected ${total}`);
    // A pane message whose paste had not landed when the relay died is failed(interrupted) on
    // restart (never pasted again, Settled 18): final and reported, so not lost; any other
    // failure breaks the invariant.
    const honest = audit.failed.filter((f) => f.reason === 'interrupted' && agents.includes(f.recipient));
    const otherFailed = audit.failed.filter((f) => !honest.includes(f));
    if (otherFailed.length > 0) failures.push(`failed deliveries: ${JSON.stringify(otherFailed.slice(0, 3))}`);
    let duplicated = audit.duplicates + receiver.state.duplicates;
    let delivered = receiver.state.seen.length;
    const orderProblems = [];
    checkOrder(
      'bob',
      receiver.state.seen.map((m) => m.body),
      clients,
      orderProblems,
    );
    for (const agent of agents) {
      const seen = markers(agentLog(fixture, agent));
      duplicated += seen.length - new Set(seen).size;
      delivered += new Set(seen).size;
      checkOrder(agent, seen, clients, orderProblems);
    }
    failures.push(...orderProblems);
    const lost = audit.missing.length + audit.open.length + Math.max(0, total - delivered - honest.length);
    if (lost > 0) failures.push(`lost ${lost} (missing ${audit.missing.length}, open ${audit.open.length})`);
    if (duplicated > 0) failures.push(`duplicated ${duplicated}`);
    if (kills.length < Math.min(2, killCount)) failures.push(`only ${kills.length} kills happened`);
    return {
      scenario: '1 SIGKILL during sends',
      load: `${clients} × ${perClient} (${expected.bob} socket, ${total - expected.bob} tmux)`,
      faults: `${kills.length} SIGKILL`,
      accepted: answered.size,
      delivered,
      lost,
      duplicated,
      maxLatency: `${ms(Math.max(...latencies))} answer`,
      extra: `failed(interrupted) ${honest.length}; redelivered before ack ${receiver.state.redelivered}; order ok: ${orderProblems.length === 0}`,
      failures,
    };
  } finally {
    await receiver.stop();
    await disposeFixture(fixture);
  }
}

/** The `c<k>-<j>` markers an agent submitted, in order. */
function markers(prompts) {
  const found = [];
  for (const prompt of prompts) {
    const match = /\bc\d+-\d+\b/.exec(prompt.text.split('\n').slice(2).join('\n'));
    if (match) found.push(match[0]);
  }
  return found;
}

/** Each sender's messages must reach `recipient` in send order (index increasing). */
function checkOrder(recipient, bodies, clients, problems) {
  for (let k = 0; k < clients; k += 1) {
    const order = bodies.filter((b) => b.startsWith(`c${k}-`)).map((b) => Number(b.split('-')[1]));
    for (let i = 1; i < order.length; i += 1) {
      if (order[i] <= order[i - 1]) {
        problems.push(`${recipient}: c${k} out of order (${order[i - 1]} then ${order[i]})`);
        break;
      }
    }
  }
}

/** Sends `count` messages as `session` in windows, resending unanswered ones after a loss. */
async function sendAll(fixture, session, k, count, targetOf, answered, latencies) {
  let client = await connectRetrying(fixture, session);
  const done = new Set();
  let lowest = 0;
  while (done.size < count) {
    while (done.has(lowest)) lowest += 1;
    const batch = [];
    for (let j = lowest; j < count && batch.length < WINDOW; j += 1) if (!done.has(j)) batch.push(j);
    const results = await Promise.allSettled(
      batch.map(async (j) => {
        const t0 = performance.now();
        const result = await client.request(
          'send',
          { to: [targetOf(k, j)], body: `c${k}-${j}`, request_id: `c${k}-${j}` },
          { timeoutMs: 30_000 },
        );
        latencies.push(performance.now() - t0);
        return result;
      }),
    );
    let lost = false;
    results.forEach((result, index) => {
      const j = batch[index];
      if (result.status === 'fulfilled') {
        done.add(j);
        answered.set(`c${k}-${j}`, result.value.message_id);
      } else lost = true;
    });
    if (lost) {
      client.close();
      client = await connectRetrying(fixture, session);
    }
  }
  client.close();
}
