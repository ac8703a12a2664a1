// ACP agents as team members, end to end: the built CLI, a real relay, and our scripted ACP
// agent (SDK 2.4) over stdio. Replies reach the sender, `look` shows the transcript, `up`/`down`
// manage the processes, a busy agent blocks nobody else, and auto-replies cannot loop.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryMessage, LookResult, SessionView } from '../../../src/core/protocol/index.js';
import { waitFor } from '../../helpers/client.js';
import { startAcpTeam, type AcpHarness } from './harness.js';

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

async function start(...args: Parameters<typeof startAcpTeam>): Promise<AcpHarness> {
  harness = await startAcpTeam(...args);
  return harness;
}

async function sessions(h: AcpHarness): Promise<SessionView[]> {
  const list = await h.cli(['list', '--json']);
  expect(list.code, list.stderr).toBe(0);
  return (JSON.parse(list.stdout) as { sessions: SessionView[] }).sessions;
}

async function thread(h: AcpHarness, id: string): Promise<HistoryMessage[]> {
  const result = await h.cli(['history', '--json', '--thread', id]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as HistoryMessage[];
}

describe('ACP agents', () => {
  it("routes the agent's streamed answer back to the sender as one reply", async () => {
    const h = await start([{ id: 'bob' }]);
    expect(h.started).toMatchObject([{ id: 'bob', transport: 'acp', outcome: 'created' }]);
    const user = await h.client();
    const sent = await user.request(
      'send',
      { to: ['bob'], subject: 'status', body: 'how are you?\nsecond line', wait_ms: 20_000 },
      { timeoutMs: 30_000 },
    );
    expect(sent.results).toEqual([{ target: 'bob', outcome: 'delivered' }]);
    // The reply is journaled before the delivery counts, so it is already in the inbox.
    const inbox = await h.inbox(user);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      from: 'bob',
      to: ['user'],
      subject: 'Re: status',
      body: 'echo: how are you?\nsecond line',
      reply_to: sent.message_id,
      thread: sent.thread,
    });
    // One prompt, the envelope without a reply command (the answer goes back by itself).
    const prompts = h.team.events('bob').filter((e) => e.event === 'prompt');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]?.text).toContain(`--agentmux-${sent.message_id}`);
    expect(prompts[0]?.text).not.toContain('Reply:');
    // The agent runs in the session directory with the agentmux identity.
    expect(h.team.events('bob')[0]).toMatchObject({ event: 'start', cwd: h.roots.root, session: 'bob' });
    const messages = await thread(h, sent.thread);
    expect(messages.map((m) => m.from)).toEqual(['user', 'bob']);
    // Fetching it completed the reply's delivery (the operator has no listening client).
    expect(messages[1]?.deliveries).toMatchObject([{ recipient: 'user', state: 'delivered' }]);
    expect(messages[1]?.deliveries[0]?.read_at).not.toBeNull();
  });

  it('shows prompts, answers, tool calls and plans in look; up keeps a running worker', async () => {
    const h = await start([{ id: 'bob' }]);
    const user = await h.client();
    await h.send(user, ['bob'], 'please #tool', 20_000);
    const look = await h.cli(['look', 'bob', '--json']);
    expect(look.code, look.stderr).toBe(0);
    const result = JSON.parse(look.stdout) as LookResult;
    expect(result.transport).toBe('acp');
    expect(result.lines).toEqual(
      expect.arrayContaining([
        '> please #tool',
        'plan:',
        '  [>] read the file',
        '⚙ Read notes.txt (read) completed',
        'echo: please #tool',
        '# turn ended: end_turn',
      ]),
    );
    const few = await h.cli(['look', 'bob', '--lines', '2']);
    expect(few.stdout.trimEnd().split('\n')).toEqual(['echo: please #tool', '# turn ended: end_turn']);
    const again = await h.cli(['up', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ sessions: [{ id: 'bob', outcome: 'kept' }] });
    expect(new Set(h.team.events('bob').map((e) => e.pid)).size).toBe(1);
  });

  it('down ends the agent and keeps its mail queued; up resumes the same ACP session', async () => {
    const h = await start([{ id: 'bob' }]);
    const pids = h.agentPids();
    expect(pids.length).toBeGreaterThan(0);
    const down = await h.cli(['down', '--json']);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ sessions: [{ id: 'bob', outcome: 'stopped' }] });
    expect(h.agentPids()).toEqual([]);
    expect((await sessions(h)).find((s) => s.id === 'bob')).toMatchObject({ state: 'offline', transport: 'acp' });
    const user = await h.client();
    const queued = await h.send(user, ['bob'], 'while you were out', 300);
    expect(queued.results).toEqual([{ target: 'bob', outcome: 'queued' }]);
    const up = await h.cli(['up', '--json']);
    expect(JSON.parse(up.stdout)).toMatchObject({ sessions: [{ id: 'bob', outcome: 'created' }] });
    await waitFor(
      async () => (await h.inbox(user)).some((m) => m.body === 'echo: while you were out'),
      20_000,
      'reply',
    );
    const events = h.team.events('bob');
    const created = events.find((e) => e.event === 'new')?.sessionId;
    expect(events.filter((e) => e.event === 'load').map((e) => e.sessionId)).toEqual([created]);
  });

  it('a busy agent never blocks messages to another agent', async () => {
    const h = await start([{ id: 'slow' }, { id: 'quick' }]);
    const user = await h.client();
    const stuck = await h.send(user, ['slow'], 'take forever #hang');
    await waitFor(async () => (await sessions(h)).find((s) => s.id === 'slow')?.state === 'busy', 10_000, 'slow busy');
    // The wait ends at its deadline because of slow; quick was answered long before.
    const both = await h.send(user, ['slow', 'quick'], 'hello both', 4000);
    expect(both.timed_out).toBe(true);
    expect(both.results).toEqual([
      { target: 'slow', outcome: 'queued' },
      { target: 'quick', outcome: 'delivered' },
    ]);
    // Escape cancels the stuck turn; its queue moves on.
    const raww = await h.cli(['raww', 'slow', '--key', 'Escape', '--no-enter']);
    expect(raww.code, raww.stderr).toBe(0);
    await waitFor(
      async () =>
        (await thread(h, both.thread))[0]?.deliveries.find((d) => d.recipient === 'slow')?.state === 'delivered',
      20_000,
      'queued message delivered after the cancel',
    );
    const first = (await thread(h, stuck.thread))[0]?.deliveries[0];
    expect(first).toMatchObject({ recipient: 'slow', state: 'failed', reason: 'cancelled' });
  });

  it('prompts an auto-reply into the agent that asked, but never a reply to that auto-reply', async () => {
    const h = await start([{ id: 'alpha' }, { id: 'beta' }]);
    // beta asks alpha directly (as its tools would, with `agentmux send`).
    const beta = await h.client('beta', 'agent');
    const question = await h.send(beta, ['alpha'], 'question from beta', 20_000);
    expect(question.results).toEqual([{ target: 'alpha', outcome: 'delivered' }]);
    await waitFor(async () => (await thread(h, question.thread)).length === 3, 20_000, 'three messages in the thread');
    await new Promise((r) => setTimeout(r, 500));
    const messages = await thread(h, question.thread);
    expect(messages.map((m) => `${m.from}→${m.to.join(',')}`)).toEqual(['beta→alpha', 'alpha→beta', 'beta→alpha']);
    // alpha's answer reached beta as a prompt; beta's answer to it was kept, not prompted.
    expect(messages[1]?.deliveries).toMatchObject([{ recipient: 'beta', state: 'delivered', reason: null }]);
    expect(messages[2]?.deliveries).toMatchObject([
      { recipient: 'alpha', state: 'delivered', reason: 'auto_reply_not_prompted' },
    ]);
    expect(h.team.events('alpha').filter((e) => e.event === 'prompt')).toHaveLength(1);
    expect(h.team.events('beta').filter((e) => e.event === 'prompt')).toHaveLength(1);
  });
});
