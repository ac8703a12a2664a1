// What a relay shares of its sessions' states in its heartbeat, and what it takes in from others.
import { describe, expect, it } from 'vitest';
import type { Member, Team } from '../../../src/config/index.js';
import { localTeam, resolveHostMap } from '../../../src/relay/bridge/hosts.js';
import {
  applyRemoteStates,
  forgetRemoteStates,
  hostedStates,
  MAX_SHARED_REASON_CHARS,
  parseBeat,
} from '../../../src/relay/bridge/remote-states.js';
import { SessionRegistry } from '../../../src/relay/session-registry.js';

const member = (id: string, role: Member['role'] = 'agent'): Member =>
  ({ id, role, transport: role === 'agent' ? 'tmux' : 'socket' }) as Member;

const team = {
  bundle: {
    id: 'team',
    hosts: [
      { id: 'laptop', nats: 'nats://127.0.0.1:4461' },
      { id: 'build', nats: 'nats://127.0.0.1:4462' },
      { id: 'gpu', nats: 'nats://127.0.0.1:4463' },
    ],
    sessions: [
      { id: 'alice', directory: '/x', host: 'build' },
      { id: 'bob', directory: '/x', host: 'laptop' },
      { id: 'dave', directory: '/x', host: 'gpu' },
      { id: 'carol', directory: '/x' },
    ],
  },
  members: [member('alice'), member('bob'), member('dave'), member('carol'), member('user', 'operator')],
} as unknown as Team;

const laptop = resolveHostMap(team, { AGENTMUX_HOST: 'laptop' });
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const busy = { state: 'busy', source: 'hook', reason: null, attached: false } as const;

describe('remote session states', () => {
  it('shares only the sessions pinned to this host, with long reasons cut', () => {
    const registry = new SessionRegistry(localTeam(team, laptop));
    registry.update('bob', { state: 'busy', source: 'screen', reason: 'x'.repeat(500) });
    registry.update('carol', { state: 'busy', source: 'screen' });
    const beat = hostedStates({ registry }, laptop);
    expect(Object.keys(beat.sessions)).toEqual(['bob']);
    expect(beat.sessions.bob).toMatchObject({ state: 'busy', source: 'screen', attached: false });
    expect(beat.sessions.bob?.reason).toHaveLength(MAX_SHARED_REASON_CHARS);
    // What one relay sends, another reads back.
    expect(parseBeat(encode(beat))).toEqual(beat);
  });

  it('reads an empty or malformed beat as no states', () => {
    expect(parseBeat(new Uint8Array())).toBeUndefined();
    expect(parseBeat(new TextEncoder().encode('{not json'))).toBeUndefined();
    expect(parseBeat(encode({ sessions: { alice: { ...busy, state: 'dancing' } } }))).toBeUndefined();
    expect(parseBeat(encode({ sessions: { alice: busy }, later: 1 }))?.sessions.alice).toEqual(busy);
  });

  it("takes in a host's own sessions only, and shows them offline when the host is lost", () => {
    const registry = new SessionRegistry(localTeam(team, laptop));
    const changed: string[] = [];
    registry.onChange((id) => changed.push(id));
    // build speaks for alice; its word on dave (gpu's), bob (ours) or carol (everyone's) is ignored.
    applyRemoteStates({ registry }, laptop, 'build', {
      sessions: { alice: busy, dave: busy, bob: busy, carol: busy, nobody: busy },
    });
    expect(changed).toEqual(['alice']);
    expect(registry.statusOf('alice')).toMatchObject({ state: 'busy', source: 'hook' });
    expect(registry.statusOf('dave').state).toBe('offline');
    expect(registry.statusOf('bob').state).toBe('offline');

    forgetRemoteStates({ registry }, laptop, 'gpu');
    expect(registry.statusOf('alice').state).toBe('busy');
    forgetRemoteStates({ registry }, laptop, 'build');
    expect(registry.statusOf('alice')).toMatchObject({ state: 'offline', reason: null, attached: false });
    expect(changed).toEqual(['alice', 'alice']);
  });
});
