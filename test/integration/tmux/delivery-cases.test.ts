// Delivery cases a new user hit with real CLIs, replayed with scripted agents through the built
// CLI, a real relay and a private tmux server: several recipients of one message, the reply
// hint run from a pane, bodies typed without paste, `up --restart` with mail queued, and a
// person typing in an attached client.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/client.js';
import type { ScriptedAgentSpec } from '../../helpers/scripted-team.js';
import { spawnTty, type Tty } from '../../e2e/tty/harness.js';
import { occurrences, startCrew, type Crew, type HistoryJson, type SendJson } from './crew-fixture.js';

let crew: Crew | undefined;
let tty: Tty | undefined;

afterEach(async () => {
  await tty?.kill();
  tty = undefined;
  const current = crew;
  crew = undefined;
  await current?.stop();
});

async function start(agents: ScriptedAgentSpec[]): Promise<Crew> {
  crew = await startCrew(agents);
  return crew;
}

/** The final delivery of `id` to `recipient`, once it is final. */
async function finalDelivery(
  history: () => Promise<HistoryJson[]>,
  id: string,
  recipient: string,
): Promise<{ state: string; reason: string | null }> {
  let found: { state: string; reason: string | null } | undefined;
  await waitFor(
    async () => {
      const delivery = (await history()).find((m) => m.id === id)?.deliveries.find((d) => d.recipient === recipient);
      if (delivery && ['delivered', 'failed', 'expired'].includes(delivery.state)) found = delivery;
      return found !== undefined;
    },
    30_000,
    `the delivery of ${id} to ${recipient}`,
  );
  return { state: found?.state ?? '', reason: found?.reason ?? null };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.sequential('tmux delivery cases', () => {
  it('gives each of several recipients its own paste: each gets the message once, no paste errors', async () => {
    const { team, cli, roots } = await start([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const body = 'one message, three recipients\nsecond line';
    const sent = await cli(['send', '-t', 'a', '-t', 'b', '-t', 'c', '-m', body, '--json', '--wait']);
    expect(sent.code, sent.stderr).toBe(0);
    const result = JSON.parse(sent.stdout) as SendJson;
    expect(result.results.map((r) => r.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    for (const agent of ['a', 'b', 'c']) {
      const prompts = team.logged(agent).map((entry) => entry.text);
      expect(prompts).toHaveLength(1);
      expect(occurrences(prompts[0] ?? '', body)).toBe(1);
    }
    const log = readFileSync(`${roots.stateDir}/bundles/crew/relay.log`, 'utf8');
    expect(log).not.toContain('no buffer');
    expect(log).not.toContain('router.error');
  }, 60_000);

  it('runs the envelope reply hint from a pane and the reply reaches the sender', async () => {
    const { team, cli } = await start([
      { id: 'alice', thinkMs: 100 },
      { id: 'bob', reply: true, env: { AGENT_REPLY: 'hint' } },
    ]);
    const sent = await cli(['send', '-t', 'bob', '-m', 'ping from alice', '--json'], { as: 'alice' });
    expect(sent.code, sent.stderr).toBe(0);
    const id = (JSON.parse(sent.stdout) as SendJson).message_id;
    await waitFor(() => team.logged('alice').length === 1, 30_000, "bob's reply in alice's pane");
    const reply = team.logged('alice')[0]?.text ?? '';
    expect(reply).toContain('From: bob · To: alice');
    expect(reply).toContain('answer from bob: ping from alice');
    expect(reply).toMatch(new RegExp(`Thread: ${id}`));
  }, 60_000);

  it('never lets a line break of a body typed without paste press Enter', async () => {
    const lfEnter = { AGENT_LF_ENTER: '1' };
    const { team, send } = await start([
      { id: 'plain', env: lfEnter, coderLines: ['paste = false'] },
      { id: 'keyed', env: lfEnter, coderLines: ['paste = false', 'newline-keys = ["M-Enter"]'] },
    ]);
    const body = 'line one\nline two\nline three';
    for (const agent of ['plain', 'keyed']) {
      expect((await send(agent, body)).results).toEqual([{ target: agent, outcome: 'delivered' }]);
    }
    const plain = team.logged('plain').map((entry) => entry.text);
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain('line one ⏎ line two ⏎ line three');
    const keyed = team.logged('keyed').map((entry) => entry.text);
    expect(keyed).toHaveLength(1);
    expect(occurrences(keyed[0] ?? '', body)).toBe(1);
  }, 60_000);

  it('keeps a message queued across up --restart and delivers it to the new pane', async () => {
    // Two agents, so the relay's control client may sit in the other one's session.
    const { team, send, cli, history } = await start([{ id: 'alice' }, { id: 'bob', thinkMs: 4000 }]);
    await send('bob', 'keeps bob busy');
    const queued = await send('bob', 'waits for the restarted agent', false);
    expect(queued.results[0]?.outcome).toBe('queued');
    const up = await cli(['up', '--session', 'bob', '--restart', '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(await finalDelivery(history, queued.message_id, 'bob')).toEqual({ state: 'delivered', reason: null });
    const prompts = team.logged('bob').filter((entry) => entry.text.includes('waits for the restarted agent'));
    expect(prompts).toHaveLength(1);
  }, 60_000);

  it('holds a message while a person in an attached client is typing, and delivers it after', async () => {
    const { team, send } = await start([{ id: 'alice', thinkMs: 100 }]);
    tty = spawnTty('tmux', ['-S', team.tmuxSocket, 'attach-session', '-t', '=alice'], { cols: 120, rows: 30 });
    await tty.waitFor(/agent>/, 10_000);
    const sent = await send('alice', 'after the human stops typing', false);
    // The person types and erases, so the composer looks empty between keystrokes.
    let lastKey = 0;
    for (let i = 0; i < 12; i += 1) {
      tty.send('x');
      tty.send('\x7f');
      lastKey = Date.now();
      await pause(250);
    }
    await waitFor(() => team.logged('alice').length === 1, 30_000, 'the held message');
    const [prompt] = team.logged('alice');
    expect(prompt?.text).toContain(`--agentmux-${sent.message_id}.`);
    expect(Date.parse(prompt?.at ?? '')).toBeGreaterThan(lastKey);
  }, 60_000);
});
