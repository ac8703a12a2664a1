// Request handlers run with only the parts of the relay core they declare (their `…Deps`
// types): each test below hands a handler exactly that, typed without casts, over a real
// journal and router. Handing a handler the whole core again would not compile here.
import { describe, expect, it } from 'vitest';
import { AGENT_DEFAULT_CONTROLS, type Member, type Team } from '../../../src/config/index.js';
import { createUlidFactory } from '../../../src/core/ids.js';
import { handleHistorySearch, handleInboxFetch, type InboxDeps } from '../../../src/relay/handlers/mailbox.js';
import { handleReload, type ReloadDeps } from '../../../src/relay/handlers/reload.js';
import { buildStatus, handleList, type ListDeps, type StatusDeps } from '../../../src/relay/handlers/roster.js';
import { handleSend, type SendDeps } from '../../../src/relay/handlers/send.js';
import { silentLog } from '../../../src/relay/log.js';
import { Notifier } from '../../../src/relay/notifier.js';
import type { Principal } from '../../../src/relay/policy.js';
import { SessionRegistry } from '../../../src/relay/session-registry.js';
import { harness, routerContext } from './router-harness.js';

const ctx = routerContext();

const members = [
  { id: 'alice', role: 'agent', transport: 'socket', controls: AGENT_DEFAULT_CONTROLS },
  { id: 'bob', role: 'agent', transport: 'socket', controls: AGENT_DEFAULT_CONTROLS },
] as unknown as Member[];
const team = { bundle: { id: 'team' }, members } as unknown as Team;
const alice: Principal = { session: 'alice', role: 'agent', member: members[0] };
const bob: Principal = { session: 'bob', role: 'agent', member: members[1] };

describe('handlers take only what they declare', () => {
  it('send journals, routes and notifies with its own dependencies; inbox and list read them back', async () => {
    const { router, batcher, journal } = harness(ctx);
    const registry = new SessionRegistry(team, { now: () => ctx.clock.now() });
    const notifier = new Notifier();
    const created: string[] = [];
    notifier.subscribe((notice) => created.push(notice.method));
    const send: SendDeps = {
      registry,
      journal,
      batcher,
      router,
      notifier,
      clock: ctx.clock,
      ids: createUlidFactory(() => ctx.clock.now()),
      inflightRequests: new Map(),
    };
    const sent = await handleSend(send, alice, { to: ['bob'], body: 'hello bob' });
    expect(sent.results).toEqual([{ target: 'bob', outcome: 'queued' }]);
    expect(created).toEqual(['message.created', 'inbox.updated']);

    const inbox: InboxDeps = { journal, router, batcher };
    const fetched = await handleInboxFetch(inbox, bob, { mark_read: true });
    expect(fetched.messages.map((m) => m.body)).toEqual(['hello bob']);
    expect(fetched.unread).toBe(0);
    expect(handleHistorySearch({ journal }, bob, { query: 'hello' }).messages.map((m) => m.id)).toEqual([
      sent.message_id,
    ]);

    const list: ListDeps = { registry, router, version: '9.9.9' };
    const roster = handleList(list, alice);
    expect(roster.relay.version).toBe('9.9.9');
    expect(roster.sessions.map((s) => [s.id, s.unread])).toEqual([
      ['alice', 0],
      ['bob', 0],
    ]);
  });

  it('the status snapshot names the host of a session elsewhere and whether it is reachable', () => {
    const { router } = harness(ctx);
    const registry = new SessionRegistry(team, { now: () => ctx.clock.now() });
    let buildUp = true;
    const status: StatusDeps = {
      registry,
      router,
      clock: ctx.clock,
      hosts: { local: 'laptop', hosts: new Set(['laptop', 'build']), pinned: new Map([['bob', 'build']]) },
      bridge: { route: () => undefined, reachable: (host) => host !== 'build' || buildUp },
    };
    expect(buildStatus(status).sessions.map((s) => [s.id, s.host, s.reachable])).toEqual([
      ['alice', undefined, undefined],
      ['bob', 'build', true],
    ]);
    buildUp = false;
    expect(buildStatus(status).sessions.find((s) => s.id === 'bob')).toMatchObject({ host: 'build', reachable: false });
  });

  it('relay.reload reads the configuration through the one function it is given', () => {
    let reads = 0;
    const reload: ReloadDeps = {
      reloadConfig: () => {
        reads += 1;
        return { changes: ['session carol added'] };
      },
      log: silentLog,
    };
    // An observer holding the operator key (`agentmux relay reload` from the user's shell).
    const operator: Principal = { session: null, role: 'observer', member: undefined, proof: 'operator' };
    expect(handleReload(reload, operator)).toEqual({ changes: ['session carol added'], restarting: true });
    expect(reads).toBe(1);
  });
});
