// Prompt-turn overhead added by the relay, measured against our zero-delay test agent: the
// median of `send {wait_ms}` to an ACP agent (journal the message, prompt, coalesce the answer,
// journal the auto-reply, report delivered) minus the median of the same prompt sent straight
// to the same agent program by an SDK 2.4 client.
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_AGENT_PATH } from './acp-team.js';
import { startAcpTeam, type AcpHarness } from './harness.js';

const ROUNDS = 60;
const WARMUP = 10;

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Prompt round trips straight to the agent, with the text the relay would send (an envelope). */
async function directRoundTrips(text: string): Promise<number[]> {
  const child = spawn(process.execPath, [TEST_AGENT_PATH], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const stream = acp.ndJsonStream(
      Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
      Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
    );
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
    const times: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      answer = '';
      const started = performance.now();
      await connection.agent.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text }] });
      if (round >= WARMUP) times.push(performance.now() - started);
      expect(answer).toContain('echo:');
    }
    connection.close();
    return times;
  } finally {
    child.kill('SIGKILL');
  }
}

describe('relay overhead per ACP prompt turn', () => {
  it('stays small against a zero-delay agent', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob' }]));
    const user = await h.client();
    const relayed: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      const started = performance.now();
      const sent = await h.send(user, ['bob'], `ping ${round}`, 20_000);
      if (round >= WARMUP) relayed.push(performance.now() - started);
      expect(sent.results).toEqual([{ target: 'bob', outcome: 'delivered' }]);
    }
    expect(await h.inbox(user)).toHaveLength(WARMUP + ROUNDS);
    const envelope = h.team.events('bob').find((e) => e.event === 'prompt')?.text ?? '';
    const direct = await directRoundTrips(envelope);
    const overhead = median(relayed) - median(direct);
    // The closing note of issue 6 quotes these figures.
    process.stdout.write(
      `ACP prompt turn: relayed median ${median(relayed).toFixed(2)} ms, direct median ${median(direct).toFixed(2)} ms, ` +
        `overhead ${overhead.toFixed(2)} ms (${ROUNDS} rounds)\n`,
    );
    expect(overhead).toBeLessThan(50);
  }, 120_000);
});
