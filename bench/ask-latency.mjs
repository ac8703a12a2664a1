// Ask → answer: the asker sends a question and waits with `replies.wait` (what `agentmux ask` and
// the MCP `ask` tool do); a scripted responder subscribed on the socket answers each question
// with `send --reply-to` after its own think time. The figure is agentmux's share: the asker's
// wall time minus the responder's think time, for the client library and for the real CLI
// (`agentmux ask`, a fresh process each time).
// Goal (issue 18): responder's own time + < 150 ms.
import { spawn } from 'node:child_process';
import { AGENTMUX_BIN, connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';

const THINK_MS = 20;
const LIBRARY_RUNS = Number(process.env.ASK_BENCH_RUNS ?? 200);
const CLI_RUNS = Number(process.env.ASK_BENCH_CLI_RUNS ?? 20);

/** Answers every question addressed to `responder` after THINK_MS, as an agent would. */
async function startResponder(fixture) {
  const client = await connect(fixture, 'bob');
  client.on('message.received', ({ message }) => {
    client.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
    setTimeout(() => {
      client
        .request('send', { to: [message.from], body: `answer to ${message.body}`, reply_to: message.id })
        .catch(() => undefined);
    }, THINK_MS);
  });
  await client.request('subscribe', { messages: true });
  return client;
}

function runAskCli(fixture, i) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(AGENTMUX_BIN, ['ask', '-t', 'bob', '-m', `cli question ${i}`, '--timeout-ms', '10000'], {
      env: { ...fixture.env, AGENTMUX_SESSION: 'alice', AGENTMUX_BUNDLE: fixture.bundle },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('close', (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`agentmux ask exited ${code}: ${stderr.trim()}`));
    });
  });
}

function show(label, s) {
  const ms = (v) => `${v.toFixed(2)} ms`;
  say(`${label.padEnd(40)} p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
}

const fixture = createFixture({ prefix: 'agentmux-bench-ask' });
try {
  const responder = await startResponder(fixture);
  const asker = await connect(fixture, 'alice');
  say(`responder thinks ${THINK_MS} ms; ${LIBRARY_RUNS} library asks, ${CLI_RUNS} CLI asks`);
  const library = [];
  for (let i = 0; i < LIBRARY_RUNS + 10; i += 1) {
    const started = performance.now();
    const sent = await asker.request('send', { to: ['bob'], body: `question ${i}`, request_id: `ask-${i}` });
    const result = await asker.request('replies.wait', { id: sent.message_id, wait_ms: 10_000 });
    if (!result.answered) throw new Error(`question ${i} was not answered`);
    if (i >= 10) library.push(performance.now() - started - THINK_MS);
  }
  asker.close();
  const lib = latencySummary(library);
  show('ask overhead, client library', lib);
  const cli = [];
  for (let i = 0; i < CLI_RUNS; i += 1) cli.push((await runAskCli(fixture, i)) - THINK_MS);
  const cliSummary = latencySummary(cli);
  show('ask overhead, `agentmux ask` process', cliSummary);
  responder.close();
  const figures = { think_ms: THINK_MS, runs: LIBRARY_RUNS, cli_runs: CLI_RUNS };
  for (const [prefix, s] of Object.entries({ library: lib, cli: cliSummary })) {
    for (const [key, value] of Object.entries(s)) figures[`${prefix}_${key}_ms`] = round(value, 3);
  }
  printResult('ask-latency', figures);
} catch (error) {
  process.stderr.write(`ask-latency failed: ${error?.stack ?? error}\nrelay log tail:\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await disposeFixture(fixture);
}
