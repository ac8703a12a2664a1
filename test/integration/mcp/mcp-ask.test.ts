// The MCP `ask` tool and the team primer in the server's instructions, end to end: the built
// `agentmux host mcp` over stdio with the real SDK client, a real relay, and bob answering as a
// socket client with `send --reply-to`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { stopRelay } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { dataOf, startMcp, textOf, writePolicyBundle, type McpPeer } from './mcp-harness.js';

const BUNDLE = 'team';
let roots: TempRoots;
const peers: McpPeer[] = [];
const clients: RelayClient[] = [];

interface Asked {
  message_id: string;
  answered: boolean;
  pending: string[];
  replies: { from: string; body: string; reply_to: string | null }[];
  unread: number;
}

beforeEach(() => {
  roots = makeTempRoots('mcpask');
  writePolicyBundle(roots, BUNDLE);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

/** Bob answers every message with a reply in its thread. */
async function answeringBob(): Promise<void> {
  const bob = await connectTo(roots, BUNDLE, 'bob');
  clients.push(bob);
  bob.on('message.received', ({ message }) => {
    void bob.request('inbox.ack', { ids: [message.id] }).catch(() => undefined);
    void bob
      .request('send', { to: [message.from], body: `bob says: ${message.body}`, reply_to: message.id })
      .catch(() => undefined);
  });
  await bob.request('subscribe', { messages: true });
}

describe('MCP ask', () => {
  it('returns the answer in the tool result and marks it read so it is not shown again', async () => {
    await answeringBob();
    const alice = await startMcp(roots, { bundle: BUNDLE, session: 'alice' });
    peers.push(alice);
    const result = await alice.call('ask', { to: 'bob', body: 'is main green?', wait_ms: 20_000 });
    expect(result.isError, textOf(result)).toBeFalsy();
    const asked = dataOf<Asked>(result);
    expect(asked).toMatchObject({ answered: true, pending: [], unread: 0 });
    expect(asked.replies).toEqual([
      expect.objectContaining({ from: 'bob', body: 'bob says: is main green?', reply_to: asked.message_id }),
    ]);
    expect(textOf(result)).toContain('answered by bob');
  }, 60_000);

  it('treats a wait that runs out as a normal result naming who has not answered', async () => {
    const alice = await startMcp(roots, { bundle: BUNDLE, session: 'alice' });
    peers.push(alice);
    const result = await alice.call('ask', { to: ['carol'], body: 'anyone there?', wait_ms: 200 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(dataOf<Asked>(result)).toMatchObject({ answered: false, pending: ['carol'], replies: [] });
    expect(textOf(result)).toContain('This is not an error');
  }, 60_000);

  it('gives the agent its team primer as the server instructions', async () => {
    const alice = await startMcp(roots, { bundle: BUNDLE, session: 'alice' });
    peers.push(alice);
    const instructions = alice.client.getInstructions() ?? '';
    expect(instructions).toContain('You are "alice" in the agentmux team "team"');
    for (const teammate of ['bob', 'carol', 'dave']) expect(instructions).toContain(`- ${teammate} (`);
    expect(instructions).toContain('"$AGENTMUX_COMMAND" ask --target <session>');
  }, 60_000);
});
