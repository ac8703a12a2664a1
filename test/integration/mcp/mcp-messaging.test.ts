// `agentmux host mcp` end to end: two MCP servers (alice, bob) over stdio with the real SDK
// client, the built CLI and a real relay.
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relayPid, stopRelay } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { dataOf, errorCodeOf, startMcp, textOf, writePolicyBundle, type McpPeer } from './mcp-harness.js';

const BUNDLE = 'team';
let roots: TempRoots;
const peers: McpPeer[] = [];

async function peer(session: string): Promise<McpPeer> {
  const started = await startMcp(roots, { bundle: BUNDLE, session });
  peers.push(started);
  return started;
}

interface Sent {
  message_id: string;
  thread: string;
  results: { target: string; outcome: string }[];
  timed_out?: boolean;
  unread: number;
}
interface Inbox {
  messages: {
    id: string;
    from: string;
    body: string;
    subject: string | null;
    reply_to: string | null;
    thread: string;
    state: string;
  }[];
  unread: number;
}

beforeEach(() => {
  roots = makeTempRoots('mcp');
  writePolicyBundle(roots, BUNDLE);
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe('agentmux host mcp', () => {
  it('lets alice and bob exchange messages and replies through their MCP servers', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);

    const who = await alice.call('whoami');
    expect(who.isError, textOf(who)).toBeFalsy();
    expect(dataOf(who)).toMatchObject({ bundle: BUNDLE, session: 'alice', role: 'agent', identity: { source: 'env' } });

    const sent = await alice.call('send', { to: 'bob', body: 'the build is green', subject: 'ci' });
    expect(sent.isError, textOf(sent)).toBeFalsy();
    const first = dataOf<Sent>(sent);
    expect(first.results).toEqual([{ target: 'bob', outcome: 'queued' }]);
    expect(textOf(sent)).toContain(`sent ${first.message_id}`);

    // bob's result lines mention the unread mail before he reads it.
    const roster = await bob.call('list');
    expect(textOf(roster).split('\n')[0]).toContain('(1 unread');
    expect(dataOf<{ sessions: { id: string }[] }>(roster).sessions.map((s) => s.id)).toEqual(
      expect.arrayContaining(['alice', 'bob', 'carol', 'dave', 'user']),
    );

    const inbox = await bob.call('inbox');
    const got = dataOf<Inbox>(inbox);
    expect(got.messages).toHaveLength(1);
    expect(got.messages[0]).toMatchObject({
      id: first.message_id,
      from: 'alice',
      body: 'the build is green',
      subject: 'ci',
    });
    expect(got.unread).toBe(0);
    expect(textOf(inbox)).toContain('the build is green');
    expect(dataOf<Inbox>(await bob.call('inbox')).messages).toEqual([]);

    const reply = dataOf<Sent>(await bob.call('send', { to: ['alice'], body: 'thanks!', reply_to: first.message_id }));
    expect(reply.thread).toBe(first.message_id);
    const aliceInbox = dataOf<Inbox>(await alice.call('inbox'));
    expect(aliceInbox.messages[0]).toMatchObject({ from: 'bob', body: 'thanks!', reply_to: first.message_id });

    const thread = dataOf<{
      thread: string;
      messages: { id: string; deliveries: { recipient: string; state: string }[] }[];
    }>(await alice.call('thread', { id: reply.message_id }));
    expect(thread.thread).toBe(first.message_id);
    expect(thread.messages.map((m) => m.id)).toEqual([first.message_id, reply.message_id]);
    expect(thread.messages[0]?.deliveries[0]).toMatchObject({ recipient: 'bob', state: 'delivered' });

    const found = dataOf<{ messages: { id: string }[] }>(await bob.call('search', { query: 'build is green' }));
    expect(found.messages.map((m) => m.id)).toEqual([first.message_id]);
    expect(dataOf<{ messages: unknown[] }>(await bob.call('search', { query: 'no such words' })).messages).toEqual([]);
  });

  it('answers with reply_to alone: the reply goes to the sender of the message, in its thread', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);
    const first = dataOf<Sent>(await alice.call('send', { to: 'bob', body: 'who is on call?' }));
    const answered = await bob.call('send', { body: 'me', reply_to: first.message_id });
    expect(answered.isError, textOf(answered)).toBeFalsy();
    const reply = dataOf<Sent>(answered);
    expect(reply.thread).toBe(first.message_id);
    expect(reply.results.map((r) => r.target)).toEqual(['alice']);
    const inbox = dataOf<Inbox>(await alice.call('inbox'));
    expect(inbox.messages[0]).toMatchObject({ from: 'bob', body: 'me', reply_to: first.message_id });
  });

  it('peeks without marking read, and acks by id (one or a list)', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);
    const one = dataOf<Sent>(await alice.call('send', { to: 'bob', body: 'one' }));
    const two = dataOf<Sent>(await alice.call('send', { to: 'bob', body: 'two' }));

    const peeked = dataOf<Inbox>(await bob.call('inbox', { peek: true }));
    expect(peeked.messages.map((m) => m.body)).toEqual(['one', 'two']);
    // bob's MCP server never takes delivery (Settled 6): the mail waits for his pane or inbox.
    expect(peeked.messages.map((m) => m.state)).toEqual(['queued', 'queued']);
    expect(peeked.unread).toBe(2);

    const acked = await bob.call('ack', { ids: one.message_id });
    expect(dataOf(acked)).toMatchObject({ acked: [one.message_id], unknown: [], unread: 1 });
    expect(textOf(acked).split('\n')[0]).toContain('(1 unread');

    const rest = dataOf(await bob.call('ack', { ids: [two.message_id, 'NOTAMESSAGEID'] }));
    expect(rest).toMatchObject({ acked: [two.message_id], unknown: ['NOTAMESSAGEID'], unread: 0 });
    expect(dataOf<Inbox>(await bob.call('inbox')).messages).toEqual([]);
  });

  it('answers bad arguments and relay refusals with isError and a stable code', async () => {
    const alice = await peer('alice');
    const cases: [string, Record<string, unknown>, string][] = [
      ['send', { to: 42, body: 'x' }, 'validation_invalid_params'],
      ['send', { to: 'bob', body: '' }, 'validation_invalid_params'],
      ['send', { to: 'bob', body: 'x', wait_ms: 30_001 }, 'validation_invalid_params'],
      ['send', { to: 'bob', body: 'x', from: 'carol' }, 'validation_invalid_params'],
      ['send', { to: 'zed', body: 'x' }, 'validation_unknown_target'],
      ['send', { to: 'bob', body: 'x', reply_to: 'NOPE' }, 'validation_unknown_message'],
      ['thread', { id: 'NOPE' }, 'validation_unknown_message'],
      ['inbox', { limit: 0 }, 'validation_invalid_params'],
      ['raww', { target: 'bob', text: 'x' }, 'authorization_forbidden'],
      ['no_such_tool', {}, 'validation_invalid_params'],
    ];
    for (const [tool, args, code] of cases) {
      const result = await alice.call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(errorCodeOf(result), textOf(result)).toBe(code);
      expect(textOf(result)).toMatch(new RegExp(`^${code}: .+\\nhint: .+`));
      expect((result.structuredContent as { error: { hint: string } }).error.hint.length).toBeGreaterThan(0);
    }
  });

  it('returns timed_out when a send waits past its wait_ms, and keeps the message', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);
    const result = await alice.call('send', { to: 'bob', body: 'are you there?', wait_ms: 400 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(dataOf<Sent>(result)).toMatchObject({ timed_out: true, results: [{ target: 'bob', outcome: 'queued' }] });
    expect(textOf(result)).toContain('timed_out: true');
    expect(dataOf<Inbox>(await bob.call('inbox')).messages.map((m) => m.body)).toEqual(['are you there?']);
  });

  it('lists look and raww only where the policy allows them', async () => {
    const [alice, carol, dave, user] = await Promise.all([peer('alice'), peer('carol'), peer('dave'), peer('user')]);
    const names = async (p: McpPeer): Promise<string[]> => (await p.client.listTools()).tools.map((t) => t.name).sort();
    const base = ['ack', 'ask', 'inbox', 'list', 'search', 'send', 'thread', 'whoami'];
    expect(await names(alice)).toEqual([...base, 'look'].sort());
    expect(await names(carol)).toEqual([...base, 'look', 'raww'].sort());
    expect(await names(dave)).toEqual(base);
    expect(await names(user)).toEqual([...base, 'look', 'raww'].sort());
    expect(dataOf(await user.call('whoami'))).toMatchObject({ role: 'operator' });
    expect(errorCodeOf(await dave.call('look', { target: 'alice' }))).toBe('authorization_forbidden');
  });

  it('tells inbox resource subscribers when mail arrives', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);
    const updates: string[] = [];
    bob.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    const resources = await bob.client.listResources();
    expect(resources.resources.map((r) => r.uri)).toContain('agentmux://inbox');
    await bob.client.subscribeResource({ uri: 'agentmux://inbox' });

    await alice.call('send', { to: 'bob', body: 'ping' });
    await waitFor(() => updates.length > 0, 15_000, 'resources/updated').catch((error: Error) => {
      throw new Error(`${error.message}\nbob's server said:\n${bob.stderr()}`);
    });
    expect(updates[0]).toBe('agentmux://inbox');

    const read = await bob.client.readResource({ uri: 'agentmux://inbox' });
    const first = read.contents[0];
    const doc = JSON.parse(first && 'text' in first ? first.text : '{}') as Inbox & { session: string };
    expect(doc).toMatchObject({ session: 'bob', unread: 1 });
    expect(doc.messages.map((m) => m.body)).toEqual(['ping']);
    // Reading the resource marks nothing read.
    expect(dataOf<Inbox>(await bob.call('inbox', { peek: true })).unread).toBe(1);
  });

  it('starts the relay again on the next tool call after it stopped', async () => {
    const [alice, bob] = await Promise.all([peer('alice'), peer('bob')]);
    expect((await alice.call('whoami')).isError).toBeFalsy();
    const before = relayPid(roots, BUNDLE);
    expect(before).toBeDefined();
    await stopRelay(roots, BUNDLE);

    const sent = await alice.call('send', { to: 'bob', body: 'after the restart' });
    expect(sent.isError, textOf(sent)).toBeFalsy();
    const after = relayPid(roots, BUNDLE);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(dataOf<Inbox>(await bob.call('inbox')).messages.map((m) => m.body)).toEqual(['after the restart']);
  });
});
