// `ask` and `wait` end to end: the built CLI, a real relay, scripted agents in a private tmux
// server answering with "$AGENTMUX_COMMAND" send --reply-to from inside their panes.
import { afterEach, describe, expect, it } from 'vitest';
import { relayPid } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import type { ScriptedAgentSpec } from '../../helpers/scripted-team.js';
import { BUNDLE, startCrew, type Crew, type HistoryJson } from './crew-fixture.js';

let crew: Crew | undefined;

afterEach(async () => {
  const current = crew;
  crew = undefined;
  await current?.stop();
});

async function start(agents: ScriptedAgentSpec[]): Promise<Crew> {
  crew = await startCrew(agents);
  return crew;
}

interface AskJson {
  message_id: string;
  thread: string;
  to: string[];
  replies: { id: string; from: string; body: string; reply_to: string | null; thread: string }[];
  pending: string[];
  answered: boolean;
  timed_out: boolean;
}

const parseAsk = (stdout: string): AskJson => JSON.parse(stdout) as AskJson;

describe.sequential('ask and wait through the relay', () => {
  it('ask returns the answer from the asked agent; the question stays in its inbox', async () => {
    const { cli } = await start([{ id: 'alice', reply: true }]);
    const asked = await cli(['ask', '-t', 'alice', '-m', 'what is the build status?', '--json']);
    expect(asked.code, asked.stderr).toBe(0);
    const outcome = parseAsk(asked.stdout);
    expect(outcome).toMatchObject({ answered: true, timed_out: false, pending: [] });
    expect(outcome.replies).toEqual([
      expect.objectContaining({
        from: 'alice',
        body: 'answer from alice: what is the build status?',
        reply_to: outcome.message_id,
        thread: outcome.message_id,
      }),
    ]);
    const inbox = JSON.parse((await cli(['inbox', '--peek', '--json'], { as: 'alice' })).stdout) as { id: string }[];
    expect(inbox.map((m) => m.id)).toContain(outcome.message_id);
    // The answer came back to the asker here, so it is read, not waiting in the operator's inbox.
    const mine = JSON.parse((await cli(['inbox', '--peek', '--json'])).stdout) as { id: string; read_at: unknown }[];
    expect(mine.find((m) => m.id === outcome.replies[0]?.id)?.read_at).not.toBeNull();
  }, 60_000);

  it('ask times out with exit 1, and the late reply is journaled in the thread afterwards', async () => {
    const { cli, history } = await start([{ id: 'slow', reply: true, thinkMs: 4000 }]);
    const asked = await cli(['ask', '-t', 'slow', '-m', 'take your time', '--timeout-ms', '300', '--json']);
    expect(asked.code, asked.stderr).toBe(1);
    const outcome = parseAsk(asked.stdout);
    expect(outcome).toMatchObject({ answered: false, timed_out: true, replies: [], pending: ['slow'] });
    let late: HistoryJson | undefined;
    await waitFor(
      async () => {
        late = (await history()).find((m) => m.from === 'slow');
        return late !== undefined;
      },
      30_000,
      'the late reply',
    );
    expect(late).toMatchObject({ body: 'answer from slow: take your time', reply_to: outcome.message_id });
    const unread = JSON.parse((await cli(['inbox', '--json'])).stdout) as { from: string }[];
    expect(unread.map((m) => m.from)).toContain('slow');
  }, 60_000);

  it('--all waits for every target and reports the silent one; without --all the first answer ends it', async () => {
    const { cli } = await start([{ id: 'alice', reply: true }, { id: 'mute' }]);
    const all = await cli([
      'ask',
      '-t',
      'alice',
      '-t',
      'mute',
      '--all',
      '-m',
      'status?',
      '--timeout-ms',
      '8000',
      '--json',
    ]);
    expect(all.code, all.stderr).toBe(1);
    const outcome = parseAsk(all.stdout);
    expect(outcome.replies.map((r) => r.from)).toEqual(['alice']);
    expect(outcome.pending).toEqual(['mute']);
    const first = await cli(['ask', '-t', 'alice', '-t', 'mute', '-m', 'anyone?', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(parseAsk(first.stdout).replies.map((r) => r.from)).toEqual(['alice']);
    expect(parseAsk(first.stdout).pending).toEqual(['mute']);
  }, 90_000);

  it('ask survives a relay SIGKILL while it waits and still returns the answer', { timeout: 90_000 }, async () => {
    const { roots, cli, history } = await start([{ id: 'slow', reply: true, thinkMs: 6000 }]);
    const asking = cli(['ask', '-t', 'slow', '-m', 'survive this', '--json']);
    // The kill must come while ask waits: after its question is journaled, while slow works
    // on it (6 s, longer than a CLI start on a loaded machine; short polls could miss it).
    await waitFor(async () => (await history()).some((m) => m.body === 'survive this'), 30_000, 'the question');
    expect((await cli(['wait', 'slow', '--state', 'busy', '--timeout-ms', '40000'])).code).toBe(0);
    const pid = relayPid(roots, BUNDLE);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGKILL');
    const asked = await asking;
    expect(asked.code, asked.stderr).toBe(0);
    expect(parseAsk(asked.stdout).replies).toEqual([
      expect.objectContaining({ from: 'slow', body: 'answer from slow: survive this' }),
    ]);
    expect(relayPid(roots, BUNDLE)).not.toBe(pid);
  });

  it('wait returns when sessions reach the state, exit 1 on timeout', async () => {
    const { cli, team } = await start([{ id: 'alice', thinkMs: 10_000 }, { id: 'bob' }]);
    const idle = await cli(['wait', 'alice', 'bob', '--state', 'idle', '--json']);
    expect(idle.code, idle.stderr).toBe(0);
    expect(JSON.parse(idle.stdout)).toMatchObject({ reached: true });
    const notBusy = await cli(['wait', 'bob', '--state', 'busy', '--timeout-ms', '300']);
    expect(notBusy.code).toBe(1);
    expect(notBusy.stdout).toContain('timed out');
    // Waiting starts before the work, so a slow CLI start cannot miss the busy spell.
    const busy = cli(['wait', 'alice', '--state', 'busy', '--timeout-ms', '40000']);
    await cli(['send', '-t', 'alice', '-m', 'work for ten seconds']);
    expect((await busy).code).toBe(0);
    expect((await cli(['wait', 'alice', '--state', 'idle', '--timeout-ms', '40000'])).code).toBe(0);
    await team.tmux(['kill-session', '-t', '=bob']);
    expect((await cli(['wait', 'bob', '--state', 'offline', '--timeout-ms', '20000'])).code).toBe(0);
    const unknown = await cli(['wait', 'nobody', '--state', 'idle']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('validation_unknown_session');
  }, 90_000);
});
