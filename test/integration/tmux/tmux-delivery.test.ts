// tmux delivery end to end: the built CLI, a real relay, scripted agents in a private tmux
// server. One file so the tmux tests never run alongside each other.
import { afterEach, describe, expect, it } from 'vitest';
import { relayPid } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { SCRIPTED_CODER, type ScriptedAgentSpec } from '../../helpers/scripted-team.js';
import { BUNDLE, isAlive, occurrences, startCrew, type Crew, type Outcome } from './crew-fixture.js';

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

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.sequential('tmux delivery through the relay', () => {
  it('delivers 1 KiB, 10 KiB, Unicode and multi-line bodies intact, exactly once', async () => {
    const { team, send } = await start([{ id: 'alice' }]);
    const words = (n: number): string =>
      Array.from({ length: n }, (_, i) => `w${i.toString(36)}`)
        .join(' ')
        .slice(0, n);
    const bodies = [
      `1k:${words(1024 - 3)}`,
      `10k:${Array.from({ length: 80 }, (_, i) => `line ${i} ${words(120)}`).join('\n')}`.slice(0, 10 * 1024),
      'unicode: 🎉 👩‍👩‍👧 🇩🇪 — 漢字かなカナ 한국어 — e\u0301 a\u0308 n\u0303 Z\u0335\u0336 — ½ ∑ √ ✓',
      'first line\n  indented second\n\ttab third\n\nafter a blank line\nlast',
    ];
    for (const body of bodies) {
      const sent = await send('alice', body);
      expect(sent.results).toEqual([{ target: 'alice', outcome: 'delivered' }]);
    }
    const logged = team.logged('alice');
    expect(logged).toHaveLength(bodies.length);
    bodies.forEach((body, index) => {
      const text = logged[index]?.text ?? '';
      expect(occurrences(text, body), `body ${index} in ${JSON.stringify(text.slice(0, 200))}`).toBe(1);
      expect(occurrences(text, '--agentmux-')).toBe(2);
    });
  }, 60_000);

  it('types nothing while the agent works, and the next message once it is quiet at its prompt', async () => {
    const thinkMs = 2000;
    const { team, send, screen } = await start([{ id: 'alice', thinkMs }]);
    const first = await send('alice', 'first: take your time');
    const second = await send('alice', 'second: after you', false);
    expect(second.results[0]?.outcome).toBe('queued');
    // While the first answer is being produced, the second message must not reach the pane.
    for (;;) {
      const lines = await screen('alice');
      if (lines.some((line) => line.startsWith(`answer: --agentmux-${first.message_id}.`))) break;
      expect(lines.join('\n')).not.toContain(`--agentmux-${second.message_id}`);
      await pause(50);
    }
    await waitFor(() => team.logged('alice').length === 2, 10_000, 'the second prompt');
    const [a, b] = team.logged('alice');
    expect(a?.text).toContain(`--agentmux-${first.message_id}.`);
    expect(a?.text).not.toContain(second.message_id);
    expect(b?.text).toContain(`--agentmux-${second.message_id}.`);
    expect(b?.text).not.toContain(first.message_id);
    // Submitted only after the answer (thinkMs after the first) and a quiet window at the prompt.
    const gap = Date.parse(b?.at ?? '') - Date.parse(a?.at ?? '');
    expect(gap).toBeGreaterThanOrEqual(thinkMs + SCRIPTED_CODER.quietWindowMs);
  }, 60_000);

  it('leaves copy mode of an unattended pane and still delivers', async () => {
    const { team, panes, send } = await start([{ id: 'alice' }]);
    const pane = panes.get('alice') ?? '';
    expect((await team.tmux(['copy-mode', '-t', pane])).code).toBe(0);
    const inMode = await team.tmux(['display-message', '-p', '-t', pane, '#{pane_in_mode}']);
    expect(inMode.stdout.trim()).toBe('1');
    const sent = await send('alice', 'reached through copy mode');
    expect(sent.results[0]?.outcome).toBe('delivered');
    expect(team.logged('alice').map((entry) => entry.text.includes('reached through copy mode'))).toEqual([true]);
  }, 30_000);

  it('fails deliveries to a killed pane with pane_gone while another agent keeps receiving', async () => {
    const { team, send, history, cli } = await start([{ id: 'alice', thinkMs: 5000 }, { id: 'bob' }]);
    await send('alice', 'keeps alice busy');
    const queued = [await send('alice', 'queued one', false), await send('alice', 'queued two', false)];
    const ids = new Set(queued.map((q) => q.message_id));
    expect((await team.tmux(['kill-session', '-t', '=alice'])).code).toBe(0);
    const toBob = await send('bob', 'bob still hears you');
    expect(toBob.results[0]?.outcome).toBe('delivered');
    await waitFor(
      async () => (await history()).filter((m) => ids.has(m.id) && m.deliveries[0]?.state === 'failed').length === 2,
      15_000,
      'the queued deliveries to fail',
    );
    for (const message of (await history()).filter((m) => ids.has(m.id))) {
      expect(message.deliveries[0]).toMatchObject({ recipient: 'alice', state: 'failed', reason: 'pane_gone' });
    }
    expect(team.logged('bob')).toHaveLength(1);

    // A message sent after the loss waits for the agent to come back instead of failing.
    const later = await send('alice', 'waits for the next up', false);
    expect(later.results[0]?.outcome).toBe('queued');
    const up = await cli(['up', '--json']);
    const outcomes = (JSON.parse(up.stdout) as { sessions: Outcome[] }).sessions.map((s) => s.outcome);
    expect(outcomes).toEqual(['created', 'kept']);
    await waitFor(() => team.logged('alice').length === 2, 15_000, 'the later message after up');
    expect(team.logged('alice')[1]?.text).toContain(`--agentmux-${later.message_id}.`);
  }, 60_000);

  it('delivers 3 × 100 messages in order per agent, each exactly once', async () => {
    const ids = ['alice', 'bob', 'carol'];
    const { team, operatorClient } = await start(
      ids.map((id) => ({ id, thinkMs: 0, quietWindowMs: 50, submitDelayMs: 20 })),
    );
    const client = await operatorClient();
    const count = 100;
    const requests: Promise<unknown>[] = [];
    for (let i = 0; i < count; i += 1) {
      for (const id of ids) {
        requests.push(client.request('send', { to: [id], body: `msg ${id} #${String(i).padStart(3, '0')}` }));
      }
    }
    await Promise.all(requests);
    await waitFor(() => ids.every((id) => team.logged(id).length >= count), 150_000, 'every message to be submitted');
    for (const id of ids) {
      const numbers = team.logged(id).map((entry) => {
        const found = new RegExp(`^msg ${id} #(\\d{3})$`, 'm').exec(entry.text);
        return found ? Number(found[1]) : -1;
      });
      expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i));
    }
  }, 180_000);

  it('runs up twice idempotently: the second run keeps the same panes', async () => {
    const { panes, cli } = await start([{ id: 'alice' }, { id: 'bob' }]);
    const again = await cli(['up', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const sessions = (JSON.parse(again.stdout) as { sessions: Outcome[] }).sessions;
    expect(sessions.map((s) => [s.id, s.outcome, s.pane_id])).toEqual([
      ['alice', 'kept', panes.get('alice')],
      ['bob', 'kept', panes.get('bob')],
    ]);
  }, 30_000);

  it('keeps agents running across a relay restart and resumes delivery after auto-start', async () => {
    const { roots, team, panes, cli, send } = await start([{ id: 'alice' }]);
    await send('alice', 'before the restart');
    const before = relayPid(roots, BUNDLE);
    const stopped = await cli(['relay', 'stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect((await cli(['relay', 'status'])).code).toBe(1);
    expect((await team.tmux(['has-session', '-t', '=alice'])).code).toBe(0);
    const sent = await send('alice', 'after the restart');
    expect(sent.results[0]?.outcome).toBe('delivered');
    expect(relayPid(roots, BUNDLE)).not.toBe(before);
    const pane = await team.tmux(['display-message', '-p', '-t', '=alice:', '#{pane_id}']);
    expect(pane.stdout.trim()).toBe(panes.get('alice'));
    expect(team.logged('alice').map((entry) => entry.text.includes('after the restart'))).toEqual([false, true]);
  }, 60_000);

  it('attributes a reply sent with $AGENTMUX_COMMAND from inside the pane to that agent', async () => {
    const { cli, send } = await start([{ id: 'alice', reply: true }]);
    const sent = await send('alice', 'ping from the operator');
    let inbox: { from: string; body: string; reply_to: string | null; thread: string }[] = [];
    const fetchInbox = async (): Promise<boolean> => {
      inbox = JSON.parse((await cli(['inbox', '--peek', '--json'])).stdout) as typeof inbox;
      return inbox.length > 0;
    };
    await waitFor(fetchInbox, 15_000, "alice's reply");
    expect(inbox).toEqual([
      expect.objectContaining({
        from: 'alice',
        body: 'answer from alice: ping from the operator',
        reply_to: sent.message_id,
        thread: sent.message_id,
      }),
    ]);
  }, 30_000);

  it('shows the pane with look, types with raww, and refuses raww to an agent by default', async () => {
    const { team, cli } = await start([{ id: 'alice' }, { id: 'bob' }]);
    const look = await cli(['look', 'alice', '--json', '--lines', '10']);
    expect(look.code, look.stderr).toBe(0);
    const seen = JSON.parse(look.stdout) as { target: string; transport: string; lines: string[] };
    expect(seen).toMatchObject({ target: 'alice', transport: 'tmux' });
    expect(seen.lines).toContain('scripted agent alice (think 300 ms)');
    expect(seen.lines.at(-1)).toBe('agent>');

    const raww = await cli(['raww', 'alice', '--text', 'typed raw', '--json']);
    expect(raww.code, raww.stderr).toBe(0);
    expect(JSON.parse(raww.stdout)).toMatchObject({ target: 'alice', status: 'accepted' });
    await waitFor(() => team.logged('alice').length === 1, 10_000, 'the raw prompt');
    expect(team.logged('alice')[0]?.text).toBe('typed raw');

    // The agent default policy: look reaches the bundle, raww nothing.
    const byAgent = await cli(['raww', 'alice', '--text', 'not allowed'], { as: 'bob' });
    expect(byAgent.code).toBe(1);
    expect(byAgent.stderr).toContain('authorization_forbidden');
    const lookByAgent = await cli(['look', 'alice', '--json'], { as: 'bob' });
    expect(lookByAgent.code, lookByAgent.stderr).toBe(0);
    // A later raww that is allowed: the agent's log then shows it right after the first one,
    // so the refused text never reached the pane.
    expect((await cli(['raww', 'alice', '--text', 'allowed later'])).code).toBe(0);
    await waitFor(() => team.logged('alice').length === 2, 10_000, 'the later raw prompt');
    expect(team.logged('alice').map((p) => p.text)).toEqual(['typed raw', 'allowed later']);
  }, 30_000);

  it('down ends every agent process and the tmux server', async () => {
    const { team, cli } = await start([{ id: 'alice' }, { id: 'bob' }]);
    const running = team.agentPids();
    expect(running.length).toBeGreaterThanOrEqual(2);
    const down = await cli(['down', '--json']);
    expect(down.code, down.stderr).toBe(0);
    const sessions = (JSON.parse(down.stdout) as { sessions: Outcome[] }).sessions;
    expect(sessions.map((s) => [s.id, s.outcome])).toEqual([
      ['alice', 'stopped'],
      ['bob', 'stopped'],
    ]);
    const reported = sessions.flatMap((s) => s.pids ?? []);
    expect(reported.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => [...reported, ...running].every((pid) => !isAlive(pid)), 10_000, 'the agents to exit');
    expect(team.agentPids()).toEqual([]);
    expect((await team.tmux(['list-sessions'])).code).not.toBe(0);
  }, 30_000);
});
