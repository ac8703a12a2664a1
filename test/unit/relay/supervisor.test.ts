// Supervisor events over a real journal, router and registry with a manual clock: one event per
// settled transition, flicker collapsed, floods summarized, nothing repeated after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_DEFAULT_CONTROLS, type Member, type Team } from '../../../src/config/index.js';
import { createUlidFactory } from '../../../src/core/ids.js';
import { SYSTEM_SENDER, type HistoryMessage, type SessionState } from '../../../src/core/protocol/index.js';
import { JournalBatcher } from '../../../src/relay/journal/batch-writer.js';
import type { Journal } from '../../../src/relay/journal/journal.js';
import { silentLog } from '../../../src/relay/log.js';
import { MessageCache } from '../../../src/relay/message-cache.js';
import { Notifier } from '../../../src/relay/notifier.js';
import { Router } from '../../../src/relay/router.js';
import { SessionRegistry } from '../../../src/relay/session-registry.js';
import { Supervisor, transitionKind } from '../../../src/relay/supervisor.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import type { Deliverer } from '../../../src/transports/deliverer.js';
import { journalMessage, openTempJournal, type TempJournal } from './fixtures.js';

const DEBOUNCE = 1000;

function agent(id: string, supervise?: string[]): Member {
  return {
    id,
    role: 'agent',
    transport: 'tmux',
    controls: { ...AGENT_DEFAULT_CONTROLS },
    session: { id, directory: '/tmp', ...(supervise ? { supervise } : {}) },
  };
}

const team = {
  configDir: '/tmp',
  bundle: { id: 'team', file: '/tmp/team.toml', autostart: false, groups: [], sessions: [] },
  members: [agent('lead', ['*']), agent('w1'), agent('w2')],
} as unknown as Team;

interface Relayish {
  registry: SessionRegistry;
  supervisor: Supervisor;
  batcher: JournalBatcher;
  router: Router;
  set(id: string, state: SessionState): void;
  close(): void;
}

/** A transport stand-in: every delivery is taken at once; `onDeliver` plays the pane's reaction. */
function takingDeliverer(onDeliver: (recipient: string) => void): Deliverer {
  return {
    handles: () => true,
    deliver: (recipient) => {
      onDeliver(recipient);
      return Promise.resolve({ state: 'delivered' });
    },
  };
}

function relayish(
  journal: Journal,
  clock: ManualClock,
  options: { rateMax?: number; onDeliver?: (registry: SessionRegistry, recipient: string) => void } = {},
): Relayish {
  const registry = new SessionRegistry(team, { now: () => clock.now() });
  const batcher = new JournalBatcher(journal);
  const deliverer = takingDeliverer((recipient) => options.onDeliver?.(registry, recipient));
  const router = new Router({ journal, batcher, cache: new MessageCache(journal), clock, deliverers: [deliverer] });
  const supervisor = new Supervisor(
    {
      team,
      registry,
      journal,
      batcher,
      router,
      notifier: new Notifier(),
      clock,
      ids: createUlidFactory(() => clock.now()),
      log: silentLog,
    },
    { debounceMs: DEBOUNCE, rateMax: options.rateMax ?? 6, rateWindowMs: 60_000 },
  );
  supervisor.start();
  return {
    registry,
    supervisor,
    batcher,
    router,
    set: (id, state) => registry.update(id, { state, source: 'screen', reason: null }),
    close: () => {
      supervisor.close();
      router.close();
      batcher.close();
    },
  };
}

/** Lets the batcher commit (it writes on setImmediate). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function events(journal: Journal): HistoryMessage[] {
  return journal.search({ participant: SYSTEM_SENDER, limit: 1000 }).filter((m) => m.from === SYSTEM_SENDER);
}

let temp: TempJournal;
let clock: ManualClock;
const opened: Relayish[] = [];

beforeEach(() => {
  temp = openTempJournal();
  clock = new ManualClock();
});

afterEach(() => {
  for (const r of opened.splice(0)) r.close();
  temp.cleanup();
});

function open(options: Parameters<typeof relayish>[2] = {}): Relayish {
  const r = relayish(temp.journal, clock, options);
  opened.push(r);
  return r;
}

async function step(r: Relayish, id: string, state: SessionState, holdMs = DEBOUNCE): Promise<void> {
  r.set(id, state);
  clock.advance(holdMs);
  await settle();
}

describe('transitionKind', () => {
  it('names the transitions a supervisor hears about, and only those', () => {
    expect(transitionKind('busy', 'idle')).toBe('turn_finished');
    expect(transitionKind('waiting_input', 'idle')).toBe('turn_finished');
    expect(transitionKind('busy', 'waiting_input')).toBe('waiting_input');
    expect(transitionKind('idle', 'failed')).toBe('exited');
    expect(transitionKind('starting', 'failed')).toBe('failed');
    expect(transitionKind('starting', 'offline')).toBe('exited');
    expect(transitionKind('busy', 'offline')).toBe('exited');
    expect(transitionKind('offline', 'idle')).toBeNull();
    expect(transitionKind('idle', 'busy')).toBeNull();
    expect(transitionKind('offline', 'offline')).toBeNull();
  });
});

describe('Supervisor', () => {
  it('journals one turn_finished with the turn duration, addressed to the supervisor', async () => {
    const r = open();
    await step(r, 'w1', 'idle');
    await step(r, 'w1', 'busy', 5000);
    await step(r, 'w1', 'idle');
    const found = events(temp.journal);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ to: ['lead'], subject: 'event: turn_finished w1' });
    expect(found[0]?.body).toContain('w1 finished its turn after 5.0 s');
  });

  it('does not count the start-up screen (busy before the first prompt) as a turn', async () => {
    const r = open();
    await step(r, 'w1', 'starting');
    await step(r, 'w1', 'busy');
    await step(r, 'w1', 'idle');
    await step(r, 'w1', 'busy');
    await step(r, 'w1', 'idle');
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: turn_finished w1']);
  });

  it('counts a turn the relay started even when it is over within the debounce', async () => {
    // The pane shows busy as the prompt is taken; the agent is idle again 300 ms later.
    const r = open({ onDeliver: (registry, id) => registry.update(id, { state: 'busy', source: 'screen' }) });
    await step(r, 'w1', 'idle');
    r.router.enqueue(journalMessage(temp.journal, { sender: 'lead', to: ['w1'] }), ['w1']);
    await settle();
    expect(r.registry.statusOf('w1').state).toBe('busy');
    clock.advance(300);
    await step(r, 'w1', 'idle');
    const found = events(temp.journal);
    expect(found.map((m) => m.subject)).toEqual(['event: turn_finished w1']);
    expect(found[0]?.body).toContain('w1 finished its turn after 0.3 s');
    // The next turn, long enough to settle busy, is one more event, not two.
    r.router.enqueue(journalMessage(temp.journal, { sender: 'lead', to: ['w1'] }), ['w1']);
    await settle();
    clock.advance(5000);
    await step(r, 'w1', 'idle');
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: turn_finished w1', 'event: turn_finished w1']);
  });

  it('counts the first task given the moment the start-up screen turns into a prompt', async () => {
    // starting → busy (start-up screen) → idle for 100 ms, which never settles → the task.
    const r = open({ onDeliver: (registry, id) => registry.update(id, { state: 'busy', source: 'screen' }) });
    await step(r, 'w1', 'starting');
    await step(r, 'w1', 'busy');
    await step(r, 'w1', 'idle', 100);
    r.router.enqueue(journalMessage(temp.journal, { sender: 'lead', to: ['w1'] }), ['w1']);
    await settle();
    clock.advance(DEBOUNCE);
    await settle();
    clock.advance(1000);
    await step(r, 'w1', 'idle');
    const found = events(temp.journal);
    expect(found.map((m) => m.subject)).toEqual(['event: turn_finished w1']);
    expect(found[0]?.body).toContain('w1 finished its turn after 2.0 s');
  });

  it('judges a turn the screen never showed busy once the debounce has passed', async () => {
    const r = open();
    await step(r, 'w1', 'idle');
    r.router.enqueue(journalMessage(temp.journal, { sender: 'lead', to: ['w1'] }), ['w1']);
    await settle();
    clock.advance(DEBOUNCE);
    await settle();
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: turn_finished w1']);
  });

  it('collapses 100 rapid flickers into one event', async () => {
    const r = open();
    await step(r, 'w2', 'idle');
    for (let i = 0; i < 100; i += 1) {
      r.set('w2', 'waiting_input');
      clock.advance(10);
      r.set('w2', 'busy');
      clock.advance(10);
    }
    await step(r, 'w2', 'waiting_input');
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: waiting_input w2']);
  });

  it('summarizes a flood instead of sending every event', async () => {
    const r = open({ rateMax: 3 });
    await step(r, 'w1', 'idle');
    for (let i = 0; i < 6; i += 1) {
      await step(r, 'w1', 'busy');
      await step(r, 'w1', 'idle');
    }
    expect(events(temp.journal)).toHaveLength(3);
    clock.advance(60_000);
    await settle();
    const all = events(temp.journal);
    expect(all).toHaveLength(4);
    expect(all[3]).toMatchObject({ subject: 'event: summary w1' });
    expect(all[3]?.body).toContain('3 more events');
  });

  it('emits a transition once across a restart: saved state and event commit together', async () => {
    const first = open();
    await step(first, 'w1', 'idle');
    await step(first, 'w1', 'busy');
    first.close();
    opened.splice(opened.indexOf(first), 1);
    // The relay died while w1 was busy; the new one sees it idle.
    const second = open();
    await step(second, 'w1', 'idle');
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: turn_finished w1']);
    second.close();
    opened.splice(opened.indexOf(second), 1);
    const third = open();
    await step(third, 'w1', 'idle');
    await step(third, 'w1', 'offline');
    expect(events(temp.journal).map((m) => m.subject)).toEqual(['event: turn_finished w1', 'event: exited w1']);
  });

  it('addresses live watchers too, and never a session about itself', () => {
    const r = open();
    r.supervisor.watch('w2', 1);
    expect(r.supervisor.supervisorsOf('w1').sort()).toEqual(['lead', 'w2']);
    expect(r.supervisor.supervisorsOf('lead')).toEqual(['w2']);
    r.supervisor.watch('w2', -1);
    expect(r.supervisor.supervisorsOf('lead')).toEqual([]);
  });
});
