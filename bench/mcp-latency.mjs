// MCP tool-call latency: the real SDK client drives `agentmux host mcp` over stdio and times
// sequential tool calls (each is one MCP round trip plus the relay requests behind it: the
// tool's own request and the unread count). Shown for context; DESIGN.md sets no budget.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AGENTMUX_BIN, createFixture, disposeFixture, relayLogTail } from './lib/fixture.mjs';
import { printResult, say } from './lib/report.mjs';
import { latencySummary, round } from './lib/stats.mjs';

const WARMUP = 20;
const SAMPLES = 200;

/** Times `SAMPLES` sequential calls of tool `name` after `WARMUP` untimed ones. */
async function timeTool(client, name, args) {
  const call = async (i) => {
    const result = await client.callTool({ name, arguments: typeof args === 'function' ? args(i) : args });
    if (result.isError) throw new Error(`${name} failed: ${result.content?.[0]?.text}`);
  };
  for (let i = 0; i < WARMUP; i += 1) await call(i);
  const samples = new Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await call(WARMUP + i);
    samples[i] = performance.now() - started;
  }
  return latencySummary(samples);
}

function show(label, s) {
  const ms = (v) => `${v.toFixed(2)} ms`;
  say(`${label.padEnd(22)} p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
}

const fixture = createFixture({ prefix: 'agentmux-bench-mcp' });
const client = new Client({ name: 'agentmux-bench', version: '0' });
try {
  const started = performance.now();
  await client.connect(
    new StdioClientTransport({
      command: AGENTMUX_BIN,
      args: ['host', 'mcp'],
      env: { ...fixture.env, AGENTMUX_BUNDLE: fixture.bundle, AGENTMUX_SESSION: 'alice' },
      stderr: 'ignore',
    }),
  );
  const connectMs = performance.now() - started;
  const firstStarted = performance.now();
  await client.callTool({ name: 'whoami', arguments: {} });
  const firstCallMs = performance.now() - firstStarted;
  say(`spawn + initialize ${connectMs.toFixed(0)} ms; first call (relay auto-start) ${firstCallMs.toFixed(0)} ms`);
  say(`${WARMUP} warm-up + ${SAMPLES} timed calls each`);
  const whoami = await timeTool(client, 'whoami', {});
  show('whoami', whoami);
  const list = await timeTool(client, 'list', {});
  show('list', list);
  const send = await timeTool(client, 'send', (i) => ({ to: 'bob', body: `ping ${i}` }));
  show('send (async)', send);

  const figures = { connect_ms: round(connectMs, 1), first_call_ms: round(firstCallMs, 1) };
  for (const [prefix, s] of Object.entries({ whoami, list, send })) {
    for (const [key, value] of Object.entries(s)) figures[`${prefix}_${key}_ms`] = round(value, 3);
  }
  printResult('mcp-latency', { samples: SAMPLES, warmup: WARMUP, ...figures });
} catch (error) {
  process.stderr.write(`mcp-latency failed: ${error?.stack ?? error}\nrelay log tail:\n${relayLogTail(fixture)}\n`);
  process.exitCode = 1;
} finally {
  await client.close().catch(() => undefined);
  await disposeFixture(fixture);
}
