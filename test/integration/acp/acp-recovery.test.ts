// ACP failure handling end to end: turn timeouts cancel the turn (and restart an agent that
// ignores the cancel), and an agent that crashes is restarted with backoff while its queue
// waits, visible in `list` and the relay log, then resumes its ACP session.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/core/protocol/index.js';
import { waitFor } from '../../helpers/client.js';
import { relayLog, startAcpTeam, type AcpHarness } from './harness.js';

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

async function bob(h: AcpHarness): Promise<SessionView | undefined> {
  const list = await h.cli(['list', '--json']);
  expect(list.code, list.stderr).toBe(0);
  return (JSON.parse(list.stdout) as { sessions: SessionView[] }).sessions.find((s) => s.id === 'bob');
}

describe('ACP recovery', () => {
  it('a turn with no activity for turn-timeout-ms is cancelled and fails with turn_timeout', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob', turnTimeoutMs: 1000 }]));
    const user = await h.client();
    const hung = await h.send(user, ['bob'], 'wait for me #hang', 20_000);
    expect(hung.results).toEqual([{ target: 'bob', outcome: 'failed', reason: 'turn_timeout' }]);
    expect(h.team.events('bob').map((e) => e.event)).toContain('cancel');
    // A failed turn leaves no auto-reply, and the agent takes the next message at once.
    const next = await h.send(user, ['bob'], 'next one', 20_000);
    expect(next.results).toEqual([{ target: 'bob', outcome: 'delivered' }]);
    expect((await h.inbox(user)).map((m) => m.body)).toEqual(['echo: next one']);
  });

  it('restarts an agent that ignores session/cancel, and resumes its ACP session', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob', turnTimeoutMs: 800 }]));
    const user = await h.client();
    const firstPid = h.team.events('bob')[0]?.pid;
    const hung = await h.send(user, ['bob'], 'ignore the cancel #hang-hard', 20_000);
    expect(hung.results).toEqual([{ target: 'bob', outcome: 'failed', reason: 'turn_timeout' }]);
    const next = await h.send(user, ['bob'], 'are you back?', 30_000);
    expect(next.results).toEqual([{ target: 'bob', outcome: 'delivered' }]);
    const events = h.team.events('bob');
    const pids = [...new Set(events.map((e) => e.pid))];
    expect(pids).toHaveLength(2);
    expect(pids[0]).toBe(firstPid);
    const created = events.find((e) => e.event === 'new')?.sessionId;
    expect(events.filter((e) => e.pid === pids[1] && e.event === 'load').map((e) => e.sessionId)).toEqual([created]);
    expect(relayLog(h).some((line) => line.event === 'acp.worker_failed' && line.session === 'bob')).toBe(true);
  });

  it('crash → restart with backoff (visible in list and the log) → queued messages delivered in order', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob' }]));
    const user = await h.client();
    // From now on every restart fails at once, until the file is removed.
    writeFileSync(h.team.crashFile('bob'), 'x');
    const crashed = await h.send(user, ['bob'], 'go down #crash', 20_000);
    expect(crashed.results).toEqual([{ target: 'bob', outcome: 'failed', reason: 'interrupted' }]);
    const one = await h.send(user, ['bob'], 'queued one');
    const two = await h.send(user, ['bob'], 'queued two');
    expect([one.results, two.results]).toEqual([
      [{ target: 'bob', outcome: 'queued' }],
      [{ target: 'bob', outcome: 'queued' }],
    ]);
    let view: SessionView | undefined;
    await waitFor(
      async () => {
        view = await bob(h);
        return view?.state === 'failed' && /exited with code 4/.test(view.reason ?? '');
      },
      20_000,
      'bob failed after a restart attempt',
    );
    expect(view).toMatchObject({ state: 'failed', queued: 2 });
    expect(view?.reason).toMatch(/crash-at-start.*restarting in \d+(\.\d+)? s/);
    const log = relayLog(h);
    expect(log.some((l) => l.event === 'acp.stderr' && l.line === 'crash-at-start: the crash file exists')).toBe(true);
    const delays = log.filter((l) => l.event === 'acp.worker_failed').map((l) => l.restart_in_ms);
    expect(delays.slice(0, 3)).toEqual([500, 1000, 2000].slice(0, delays.length));
    rmSync(h.team.crashFile('bob'));
    await waitFor(async () => (await h.inbox(user)).length > 0, 40_000, 'replies after the restart');
    await waitFor(
      async () => (await bob(h))?.queued === 0 && (await bob(h))?.state === 'idle',
      20_000,
      'queue drained',
    );
    const events = h.team.events('bob');
    const prompts = events.filter((e) => e.event === 'prompt').map((e) => /\n(.*)\n--agentmux/.exec(e.text ?? '')?.[1]);
    expect(prompts).toEqual(['go down #crash', 'queued one', 'queued two']);
    const created = events.find((e) => e.event === 'new')?.sessionId;
    expect(events.filter((e) => e.event === 'load').map((e) => e.sessionId)).toEqual([created]);
  }, 90_000);
});
