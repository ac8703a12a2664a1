// The relay's AgentControl over tmux and ACP: each session goes to its own transport.
import { describe, expect, it } from 'vitest';
import type { SessionOutcome } from '../../../src/core/protocol/index.js';
import { combineAgentControls } from '../../../src/relay/agent-control.js';
import type { AgentControl } from '../../../src/relay/relay-core.js';

function fake(transport: string, calls: string[]): AgentControl {
  const outcomes = (ids: string[] | undefined, all: string[]): SessionOutcome[] =>
    (ids ?? all).map((id) => ({ id, transport, outcome: 'created' }));
  const mine = transport === 'tmux' ? ['a', 'c'] : ['b'];
  return {
    up: (request) => {
      calls.push(`${transport}.up ${String(request.sessions)} fresh=${String(request.fresh)}`);
      return Promise.resolve(outcomes(request.sessions, mine));
    },
    down: (sessions) => {
      calls.push(`${transport}.down ${String(sessions)}`);
      return Promise.resolve(outcomes(sessions, mine));
    },
    look: (target) => Promise.resolve([`${transport}:${target}`]),
    raww: (target) => Promise.resolve(target !== 'c'),
  };
}

const MEMBERS = [
  { id: 'a', transport: 'tmux' as const },
  { id: 'b', transport: 'acp' as const },
  { id: 'c', transport: 'tmux' as const },
  { id: 'user', transport: 'socket' as const },
];

describe('combineAgentControls', () => {
  it('splits up and down by transport and answers in roster order', async () => {
    const calls: string[] = [];
    const control = combineAgentControls(MEMBERS, { tmux: fake('tmux', calls), acp: fake('acp', calls) });
    expect((await control?.up({ fresh: true }))?.map((o) => `${o.id}:${o.transport}`)).toEqual([
      'a:tmux',
      'b:acp',
      'c:tmux',
    ]);
    expect(calls).toEqual(['tmux.up undefined fresh=true', 'acp.up undefined fresh=true']);
    calls.length = 0;
    expect((await control?.down(['c', 'b']))?.map((o) => o.id)).toEqual(['b', 'c']);
    expect(calls).toEqual(['tmux.down c', 'acp.down b']);
    calls.length = 0;
    await control?.up({ sessions: ['b'] });
    expect(calls).toEqual(['acp.up b fresh=undefined']);
  });

  it('sends look and raww to the target transport; nothing for sockets', async () => {
    const control = combineAgentControls(MEMBERS, { tmux: fake('tmux', []), acp: fake('acp', []) });
    expect(await control?.look('b', 5)).toEqual(['acp:b']);
    expect(await control?.look('a', 5)).toEqual(['tmux:a']);
    expect(await control?.look('user', 5)).toBeUndefined();
    expect(await control?.raww('c', 'x', [], true)).toBe(false);
    expect(await control?.raww('user', 'x', [], true)).toBe(false);
  });

  it('is the single transport itself, or undefined without any', () => {
    const tmux = fake('tmux', []);
    expect(combineAgentControls(MEMBERS, { tmux })).toBe(tmux);
    expect(combineAgentControls(MEMBERS, {})).toBeUndefined();
  });
});
