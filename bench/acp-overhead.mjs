// Prompt-turn overhead the relay adds to an ACP agent: the median of `send {wait_ms}` to our
// zero-delay test agent (journal the message, prompt, coalesce the answer, journal the
// auto-reply, report delivered) minus the median of the same prompt sent straight to the same
// agent program by an SDK client. Budget: < 50 ms.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { AGENTMUX_BIN, connect, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { REPO_ROOT } from './lib/install.mjs';
import { printResult, say } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const WARMUP = 10;
const ROUNDS = 60;
const AGENT = join(REPO_ROOT, 'test', 'fixtures', 'acp-test-agent.mjs');

/** Prompt round trips straight to the agent program with `text` (the relay's envelope). */
async function directRoundTrips(text) {
  const child = spawn(process.execPath, [AGENT], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const stream = acp.ndJsonStream(Writable.toWeb(child.stdin), Readable.toWeb(child.stdout));
    let answer = '';
    const connection = acp
      .client({ name: 'overhead-probe' })
      .onNotification(acp.methods.client.session.update, ({ params }) => {
        if (params.update.sessionUpdate === 'agent_message_chunk' && params.update.content.type === 'text')
          answer += params.update.content.text;
      })
      .connect(stream);
    await connection.agent.request(acp.methods.agent.initialize, { protocolVersion: acp.PROTOCOL_VERSION });
    const { sessionId } = await connection.agent.request(acp.methods.agent.session.new, {
      cwd: process.cwd(),
      mcpServers: [],
    });
    const times = [];
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      answer = '';
      const started = performance.now();
      await connection.agent.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text }] });
      if (i >= WARMUP) times.push(performance.now() - started);
      if (!answer.includes('echo:')) throw new Error(`the agent answered ${JSON.stringify(answer)}`);
    }
    connection.close();
    return times;
  } finally {
    child.kill('SIGKILL');
  }
}

const fixture = createFixture({ sessions: [], prefix: 'agentmux-bench-acp' });
const log = join(fixture.root, 'bob.acp-log.jsonl');
writeFileSync(
  join(fixture.roots.configDir, 'coders.toml'),
  [
    'format-version = 1',
    '[[coders]]',
    'id = "acp-test"',
    '[coders.acp]',
    `command = ${JSON.stringify(`${process.execPath} ${AGENT}`)}`,
    `environment = [{ name = "ACP_TEST_LOG", value = ${JSON.stringify(log)} }]`,
    '',
  ].join('\n'),
);
writeFileSync(
  join(fixture.roots.configDir, 'bundles', `${fixture.bundle}.toml`),
  ['format-version = 1', '[[sessions]]', 'id = "bob"', `directory = "${fixture.root}"`, 'coder = "acp-test"', ''].join(
    '\n',
  ),
);
let user;
try {
  const up = spawnSync(process.execPath, [AGENTMUX_BIN, 'up', '--bundle', fixture.bundle], {
    env: fixture.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (up.status !== 0) throw new Error(`up exited ${up.status}: ${up.stderr}`);
  user = await connect(fixture, 'user', { role: 'operator' });
  const relayed = [];
  for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
    const started = performance.now();
    const sent = await user.request('send', { to: ['bob'], body: `ping ${i}`, wait_ms: 20_000 }, { timeoutMs: 35_000 });
    if (i >= WARMUP) relayed.push(performance.now() - started);
    if (sent.results[0]?.outcome !== 'delivered') throw new Error(`round ${i}: ${JSON.stringify(sent.results)}`);
  }
  const envelope = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .find((event) => event.event === 'prompt')?.text;
  if (!envelope) throw new Error('the agent logged no prompt');
  const direct = await directRoundTrips(envelope);
  const overhead = median(relayed) - median(direct);
  say(
    `ACP prompt turn: relayed median ${median(relayed).toFixed(2)} ms, direct median ${median(direct).toFixed(2)} ms, overhead ${overhead.toFixed(2)} ms (${ROUNDS} rounds)`,
  );
  printResult('acp-overhead', {
    rounds: ROUNDS,
    overhead_ms: round(overhead, 2),
    relayed_p50_ms: round(median(relayed), 2),
    direct_p50_ms: round(median(direct), 2),
  });
} catch (error) {
  process.stderr.write(`acp-overhead failed: ${error?.stack ?? error}\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  user?.close();
  spawnSync(process.execPath, [AGENTMUX_BIN, 'down', '--bundle', fixture.bundle], {
    env: fixture.env,
    timeout: 30_000,
  });
  await disposeFixture(fixture);
}
