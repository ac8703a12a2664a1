import { describe, expect, it } from 'vitest';
import { decodeEvent, type RelayEvent } from '../../../src/tui/link/events.js';
import { initialRelayState, relayReducer } from '../../../src/tui/state/relay-state.js';
import { history, message, session } from './fixtures.js';

const base = initialRelayState({ bundle: 'crew', self: 'you' });
const events = (...list: (RelayEvent | undefined)[]): RelayEvent[] => list.filter((e) => e !== undefined);

describe('relayReducer', () => {
  it('tracks the link', () => {
    const reconnecting = relayReducer(base, { type: 'link', link: 'reconnecting', error: 'relay_unavailable: gone' });
    expect(reconnecting).toMatchObject({ link: 'reconnecting', linkError: 'relay_unavailable: gone' });
    expect(relayReducer(reconnecting, { type: 'connected', relayPid: 7 })).toMatchObject({
      link: 'connected',
      relayPid: 7,
      linkError: null,
    });
  });

  it('loads roster, history and permissions (null means the relay has none)', () => {
    const h = history({ to: ['alice'] });
    const loaded = relayReducer(base, {
      type: 'loaded',
      sessions: [session('alice')],
      history: [h],
      permissions: null,
    });
    expect(loaded.loaded).toBe(true);
    expect(loaded.permissionsSupported).toBe(false);
    expect(loaded.store.byId.get(h.id)?.deliveries.alice?.state).toBe('delivered');
  });

  it('applies decoded notifications in one batch', () => {
    const m = message({ from: 'alice', to: ['bob'] });
    const incoming = message({ from: 'bob', to: ['you'] });
    const next = relayReducer(base, {
      type: 'events',
      events: events(
        decodeEvent('message.created', { seq: 1, message: m }),
        decodeEvent('delivery.updated', {
          seq: 2,
          message_id: m.id,
          from: 'alice',
          recipient: 'bob',
          state: 'typing',
          reason: null,
        }),
        decodeEvent('message.received', { seq: 3, message: { ...incoming, state: 'delivering', read_at: null } }),
        decodeEvent('session.updated', { seq: 4, session: session('bob', { state: 'busy' }) }),
      ),
    });
    expect(next.store.ids).toEqual([m.id, incoming.id]);
    expect(next.store.byId.get(m.id)?.deliveries.bob?.state).toBe('typing');
    expect(next.store.byId.get(incoming.id)?.deliveries.you?.state).toBe('delivering');
    expect(next.sessions).toEqual([session('bob', { state: 'busy' })]);
  });

  it('updates queue depths from a status snapshot', () => {
    const state = { ...base, sessions: [session('bob')] };
    const status = {
      bundle: 'crew',
      updated_at: 'now',
      relay: { state: 'running', pid: 1 },
      sessions: [{ id: 'bob', state: 'busy', queued: 3, unread: 1, attached: true }],
      needs_operator: [],
    };
    const next = relayReducer(state, {
      type: 'events',
      events: events(decodeEvent('relay.status', { seq: 1, status })),
    });
    expect(next.sessions[0]).toMatchObject({ state: 'busy', queued: 3, unread: 1, attached: true });
  });

  it('adds and resolves permission requests', () => {
    const request = {
      seq: 9,
      id: 'P1',
      session: 'coder',
      title: 'Run npm test',
      options: [{ id: 'ok', name: 'Allow', kind: 'allow_once' }],
      requested_at: 'now',
      expires_at: 'later',
      message_id: null,
      tool_call_id: null,
    };
    const asked = relayReducer(base, { type: 'events', events: events(decodeEvent('permission.requested', request)) });
    expect(asked.permissions.map((p) => p.id)).toEqual(['P1']);
    const resolution = {
      seq: 10,
      id: 'P1',
      session: 'coder',
      outcome: 'selected',
      option: 'ok',
      decided_by: 'you',
      resolved_at: 'now',
    };
    const done = relayReducer(asked, {
      type: 'events',
      events: events(decodeEvent('permission.resolved', resolution)),
    });
    expect(done.permissions).toEqual([]);
    expect(relayReducer(asked, { type: 'permission-gone', id: 'P1' }).permissions).toEqual([]);
  });

  it('ignores notifications it cannot read', () => {
    expect(decodeEvent('message.created', { seq: 1, message: { id: 3 } })).toBeUndefined();
    expect(decodeEvent('something.new', { seq: 1 })).toBeUndefined();
    const state = relayReducer(base, { type: 'events', events: [] });
    expect(state).toBe(base);
  });

  it('takes host reachability from relay.status and keeps the host across session.updated', () => {
    const loaded = relayReducer(base, {
      type: 'loaded',
      sessions: [session('alice'), session('carol', { host: 'build', reachable: true, state: 'offline' })],
      history: [],
      permissions: null,
    });
    const status = {
      bundle: 'crew',
      updated_at: '2026-01-02T03:04:05.000Z',
      relay: { state: 'running', pid: 7 },
      sessions: [
        { id: 'alice', state: 'idle', queued: 0, unread: 0, attached: false },
        { id: 'carol', state: 'offline', queued: 2, unread: 0, attached: false, host: 'build', reachable: false },
      ],
      needs_operator: [],
    };
    const offline = relayReducer(loaded, {
      type: 'events',
      events: events(decodeEvent('relay.status', { seq: 1, status })),
    });
    expect(offline.sessions.find((s) => s.id === 'carol')).toMatchObject({
      host: 'build',
      reachable: false,
      queued: 2,
    });
    expect(offline.sessions.find((s) => s.id === 'alice')?.host).toBeUndefined();
    const updated = relayReducer(offline, {
      type: 'events',
      events: events(decodeEvent('session.updated', { seq: 2, session: session('carol', { state: 'offline' }) })),
    });
    expect(updated.sessions.find((s) => s.id === 'carol')).toMatchObject({ host: 'build', reachable: false });
  });
});
