// Who lives where in a multi-host bundle, and the one spelling an address gets.
import { describe, expect, it } from 'vitest';
import type { Member, Team } from '../../../src/config/index.js';
import {
  canonicalAddress,
  isRemote,
  localTeam,
  resolveHostMap,
  sessionPart,
  type HostMap,
} from '../../../src/relay/bridge/hosts.js';
import { AgentmuxError } from '../../../src/core/errors.js';

const member = (id: string, role: Member['role'] = 'agent'): Member =>
  ({ id, role, transport: role === 'agent' ? 'tmux' : 'socket' }) as Member;

const team = {
  bundle: {
    id: 'team',
    hosts: [
      { id: 'laptop', nats: 'nats://127.0.0.1:4461' },
      { id: 'build', nats: 'nats://127.0.0.1:4462' },
    ],
    sessions: [
      { id: 'alice', directory: '/x', host: 'build' },
      { id: 'bob', directory: '/x', host: 'laptop' },
      { id: 'carol', directory: '/x' },
    ],
  },
  members: [member('alice'), member('bob'), member('carol'), member('user', 'operator')],
} as unknown as Team;

const laptop: HostMap = resolveHostMap(team, { AGENTMUX_HOST: 'laptop' });

describe('multi-host addresses', () => {
  it('knows the local host from AGENTMUX_HOST and refuses a host the bundle does not name', () => {
    expect(laptop.local).toBe('laptop');
    expect(() => resolveHostMap(team, { AGENTMUX_HOST: 'gpu' })).toThrow(AgentmuxError);
    try {
      resolveHostMap(team, { AGENTMUX_HOST: 'gpu' });
    } catch (error) {
      expect((error as AgentmuxError).code).toBe('validation_unknown_host');
    }
  });

  it('spells a pinned session by its id and anyone else elsewhere as id@host', () => {
    expect(canonicalAddress(laptop, 'alice')).toBe('alice');
    expect(canonicalAddress(laptop, 'alice@build')).toBe('alice');
    expect(canonicalAddress(laptop, 'bob@laptop')).toBe('bob');
    expect(canonicalAddress(laptop, 'user@build')).toBe('user@build');
    expect(canonicalAddress(laptop, 'user@laptop')).toBe('user');
    expect(sessionPart('user@build')).toBe('user');
  });

  it('refuses an unknown host or the wrong host of a pinned session, with the right one in the hint', () => {
    const codeOf = (address: string) => {
      try {
        canonicalAddress(laptop, address);
        return undefined;
      } catch (error) {
        return { code: (error as AgentmuxError).code, hint: (error as AgentmuxError).hint };
      }
    };
    expect(codeOf('alice@gpu')?.code).toBe('validation_unknown_target');
    expect(codeOf('alice@laptop')).toMatchObject({
      code: 'validation_unknown_target',
      hint: 'send to alice or alice@build',
    });
  });

  it('routes sessions pinned elsewhere through the bridge and never starts them here', () => {
    expect(isRemote(laptop, 'alice')).toBe(true);
    expect(isRemote(laptop, 'bob')).toBe(false);
    expect(isRemote(laptop, 'carol')).toBe(false);
    expect(isRemote(laptop, 'user@build')).toBe(true);
    const local = localTeam(team, laptop);
    expect(local.members.map((m) => [m.id, m.transport])).toEqual([
      ['alice', 'socket'],
      ['bob', 'tmux'],
      ['carol', 'tmux'],
      ['user', 'socket'],
    ]);
  });
});
