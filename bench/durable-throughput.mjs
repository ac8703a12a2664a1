// Durable throughput: 8 senders (each its own connection and session) push N messages each
// with a window of sends in flight; the figure is messages answered per second from the
// first send to the last answer. An answered send is journaled (DESIGN.md "Messages and
// delivery"), which is checked afterwards by counting journal.db rows.
// Budget: ≥ 20k messages/s. Run twice: senders in 8 child processes (the figure), and all
// 8 connections in this one process (shows whether one client event loop is the limit).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { connect, createFixture, disposeFixture, relayLogTail, relayPid } from './lib/fixture.mjs';
import { sendPipelined } from './lib/pipeline.mjs';
import { printResult, say } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

const CLIENTS = 8;
const PER_CLIENT = 5_000;
const WINDOW = 64;
const WARMUP = 200;
const SENDERS = Array.from({ length: CLIENTS }, (_, i) => `w${i + 1}`);
const WORKER = fileURLToPath(new URL('./lib/throughput-worker.mjs', import.meta.url));

/** Runs every sender in its own process; resolves to their results once all are done. */
async function runInChildren(fixture) {
  const job = {
    bundle: fixture.bundle,
    roots: fixture.roots,
    target: 'bob',
    count: PER_CLIENT,
    window: WINDOW,
    warmup: WARMUP,
  };
  const children = SENDERS.map((session) =>
    fork(WORKER, [JSON.stringify({ ...job, session })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    const replies = children.map((child) => watchChild(child));
    await Promise.all(replies.map((r) => r.ready));
    for (const child of children) child.send('go');
    const results = await Promise.all(replies.map((r) => r.done));
    await Promise.all(replies.map((r) => r.exited));
    return results;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** A child's "ready" and "done" replies; both reject if it exits before sending them. */
function watchChild(child) {
  const waiting = {};
  const ready = new Promise((resolve, reject) => (waiting.ready = { resolve, reject }));
  const done = new Promise((resolve, reject) => (waiting.done = { resolve, reject }));
  child.on('message', (message) => {
    if (message.type === 'ready') waiting.ready.resolve();
    if (message.type === 'done') waiting.done.resolve(message);
  });
  // 'close' comes after the IPC channel has delivered everything the child sent.
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      const error = new Error(`sender pid ${child.pid} exited early (code ${code}, signal ${signal})`);
      waiting.ready.reject(error);
      waiting.done.reject(error);
      resolve();
    }),
  );
  // Whichever promise nobody is awaiting yet must not become an unhandled rejection.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { ready, done, exited };
}

/** Runs every sender as a connection of this process. */
async function runInProcess(fixture) {
  const clients = await Promise.all(SENDERS.map((session) => connect(fixture, session, { autoStart: false })));
  try {
    await Promise.all(
      clients.map((client, i) =>
        sendPipelined(client, { target: 'bob', count: WARMUP, window: WINDOW, tag: `${SENDERS[i]}-w` }),
      ),
    );
    return await Promise.all(
      clients.map((client, i) =>
        sendPipelined(client, { target: 'bob', count: PER_CLIENT, window: WINDOW, tag: SENDERS[i] }),
      ),
    );
  } finally {
    for (const client of clients) client.close();
  }
}

/** Counts journaled messages and bob's delivery rows, read-only beside the live relay. */
function countJournal(fixture) {
  const db = new Database(fixture.journal, { readonly: true, fileMustExist: true });
  try {
    const messages = db.prepare('SELECT count(*) AS n FROM messages').get().n;
    const deliveries = db.prepare("SELECT count(*) AS n FROM deliveries WHERE recipient = 'bob'").get().n;
    return { messages, deliveries };
  } finally {
    db.close();
  }
}

/**
 * CPU time (user + system, ms) the process has used, from /proc (Linux; undefined elsewhere).
 * The relay's CPU per message is steadier than the wall figure when other work shares the CPU.
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** One phase on a fresh relay: send, time, verify the journal. */
async function phase(label, run) {
  const fixture = createFixture({ sessions: [...SENDERS, 'bob'], prefix: 'agentmux-bench-tp' });
  try {
    const starter = await connect(fixture, undefined);
    starter.close();
    const pid = relayPid(fixture);
    const cpuBefore = cpuMs(pid);
    const results = await run(fixture);
    const cpuAfter = cpuMs(pid);
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    if (failed > 0) throw new Error(`${failed} sends failed, first: ${results.find((r) => r.firstError)?.firstError}`);
    const start = Math.min(...results.map((r) => r.start));
    const end = Math.max(...results.map((r) => r.end));
    const total = results.reduce((sum, r) => sum + r.sent, 0);
    const perSecond = (total / (end - start)) * 1000;
    const expected = CLIENTS * (PER_CLIENT + WARMUP);
    const journal = countJournal(fixture);
    const verified = journal.messages === expected && journal.deliveries === expected;
    // Includes the senders' warm-up and connects (small next to the timed sends).
    const relayCpuUs =
      cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / total;
    say(
      `${label.padEnd(26)} ${total} msgs in ${(end - start).toFixed(0)} ms = ${Math.round(perSecond)} msg/s; ` +
        `relay CPU ${relayCpuUs === undefined ? '?' : relayCpuUs.toFixed(1)} µs/msg; ` +
        `journal ${journal.messages} messages, ${journal.deliveries} deliveries (expected ${expected}) ${verified ? 'ok' : 'MISMATCH'}`,
    );
    if (!verified) throw new Error(`journal holds ${journal.messages}/${journal.deliveries}, expected ${expected}`);
    return { perSecond, elapsedMs: end - start, relayCpuUs };
  } catch (error) {
    process.stderr.write(`relay log tail:\n${relayLogTail(fixture)}\n`);
    throw error;
  } finally {
    await disposeFixture(fixture);
  }
}

try {
  say(`${CLIENTS} senders × ${PER_CLIENT} messages (+${WARMUP} warm-up each), window ${WINDOW}, all to bob`);
  const children = await phase('8 sender processes', runInChildren);
  const inProcess = await phase('8 connections, 1 process', runInProcess);
  printResult('durable-throughput', {
    clients: CLIENTS,
    per_client: PER_CLIENT,
    window: WINDOW,
    msgs_per_s: Math.round(children.perSecond),
    elapsed_ms: round(children.elapsedMs, 1),
    inproc_msgs_per_s: Math.round(inProcess.perSecond),
    inproc_elapsed_ms: round(inProcess.elapsedMs, 1),
    ...(children.relayCpuUs === undefined ? {} : { relay_cpu_us_per_msg: round(children.relayCpuUs, 1) }),
    journal_verified: true,
  });
} catch (error) {
  process.stderr.write(`durable-throughput failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
