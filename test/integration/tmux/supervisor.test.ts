// Supervisor events end to end: scripted agents in a private tmux server, a lead that supervises
// them (`supervise = ["*"]`), and the events it is told about as journaled messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { SYSTEM_SENDER } from '../../../src/core/protocol/index.js';
import { relayPid } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { BUNDLE, startCrew, type Crew } from './crew-fixture.js';

const LEAD_THINK_MS = 8000;

interface EventJson {
  id: string;
  from: string;
  to: string[];
  subject: string | null;
  body: string;
  created_at: string;
}

let crew: Crew;
const clients: RelayClient[] = [];

beforeAll(async () => {
  crew = await startCrew([
    { id: 'lead', thinkMs: LEAD_THINK_MS, supervise: ['*'] },
    { id: 'w1' },
    { id: 'w2' },
    { id: 'w3', thinkMs: 4000 },
  ]);
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await crew.stop();
});

async function events(): Promise<EventJson[]> {
  const result = await crew.cli(['history', '--json', '--limit', '1000']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as EventJson[]).filter((m) => m.from === SYSTEM_SENDER);
}

const count = (all: EventJson[], subject: string): number => all.filter((m) => m.subject === subject).length;

async function waitForEvents(subject: string, n: number, timeoutMs = 30_000): Promise<EventJson[]> {
  let all: EventJson[] = [];
  await waitFor(
    async () => {
      all = await events();
      return count(all, subject) >= n;
    },
    timeoutMs,
    `${n} × ${subject}`,
  );
  return all;
}

describe.sequential('supervisor events', () => {
  it('queues an event for a busy supervisor and types it only once the supervisor is idle', async () => {
    await crew.send('lead', 'a long task for the lead');
    await crew.send('w1', 'a short task for w1');
    const all = await waitForEvents('event: turn_finished w1', 1);
    const event = all.find((m) => m.subject === 'event: turn_finished w1');
    expect(event).toMatchObject({ to: ['lead'] });
    expect(event?.body).toMatch(/^w1 finished its turn after \d+\.\d s and is idle\.$/);
    await waitFor(() => crew.team.logged('lead').length >= 2, 40_000, "the event in lead's pane");
    const [task, typed] = crew.team.logged('lead');
    const leadIdleAt = Date.parse(task?.at ?? '') + LEAD_THINK_MS;
    expect(typed?.text).toContain(`--agentmux-${event?.id}`);
    expect(typed?.text).toContain('w1 finished its turn');
    expect(typed?.text).not.toContain('Reply:'); // nobody to reply to
    // Created while the lead was still busy, typed only after its turn ended.
    expect(Date.parse(event?.created_at ?? '')).toBeLessThan(leadIdleAt);
    expect(Date.parse(typed?.at ?? '')).toBeGreaterThanOrEqual(leadIdleAt);
  }, 90_000);

  it('turns 100 rapid flickers into one waiting_input event', async () => {
    const w2 = await connectTo(crew.roots, BUNDLE, 'w2');
    clients.push(w2);
    for (let i = 0; i < 100; i += 1) {
      await w2.request('session.report', { state: 'waiting_input', event: 'Notification' });
      await w2.request('session.report', { state: 'busy', event: 'PreToolUse' });
    }
    await w2.request('session.report', { state: 'waiting_input', event: 'Notification' });
    await waitForEvents('event: waiting_input w2', 1);
    // A later transition proves the first one was not followed by stragglers.
    await w2.request('session.report', { state: 'idle', event: 'Stop' });
    const all = await waitForEvents('event: turn_finished w2', 1);
    expect(count(all, 'event: waiting_input w2')).toBe(1);
    expect(count(all, 'event: turn_finished w2')).toBe(1);
  }, 90_000);

  it('reports a killed agent with exactly one exited event', async () => {
    const pane = await crew.team.tmux(['display-message', '-p', '-t', '=w2:', '#{pane_pid}']);
    process.kill(Number(pane.stdout.trim()), 'SIGKILL');
    await waitForEvents('event: exited w2', 1);
    const before = count(await events(), 'event: turn_finished w1');
    await crew.send('w1', 'another short task');
    const all = await waitForEvents('event: turn_finished w1', before + 1);
    expect(count(all, 'event: exited w2')).toBe(1);
    expect(all.find((m) => m.subject === 'event: exited w2')?.body).toContain('w2 exited');
  }, 90_000);

  it('emits a transition exactly once when the relay is SIGKILLed during it', async () => {
    await crew.send('w3', 'a four second task', false);
    expect((await crew.cli(['wait', 'w3', '--state', 'busy', '--timeout-ms', '20000'])).code).toBe(0);
    expect((await crew.cli(['wait', 'w3', '--state', 'idle', '--timeout-ms', '20000'])).code).toBe(0);
    const pid = relayPid(crew.roots, BUNDLE);
    process.kill(pid as number, 'SIGKILL');
    expect((await crew.cli(['list'])).code).toBe(0);
    await waitForEvents('event: turn_finished w3', 1);
    await crew.send('w3', 'a second task', false);
    const all = await waitForEvents('event: turn_finished w3', 2, 40_000);
    expect(count(all, 'event: turn_finished w3')).toBe(2);
  }, 120_000);
});
