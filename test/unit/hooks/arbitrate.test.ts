// Hooks first, screen second: each rule of arbitrate(), and the registry bookkeeping built on
// it (hookState, onPromptSubmitted, hook-stale-ms).
import { describe, expect, it } from 'vitest';
import type { Member, Team } from '../../../src/config/index.js';
import type { HookState, SessionState, StateSource } from '../../../src/core/protocol/index.js';
import { arbitrate, type HookRecord } from '../../../src/hooks/arbitrate.js';
import { SessionRegistry } from '../../../src/relay/session-registry.js';

const hook = (state: HookState): HookRecord => ({ state, event: 'x', at: 0 });
const decide = (
  hookState: HookState,
  state: SessionState,
  source: StateSource = 'screen',
  idleSince?: number,
  now = 1000,
) => arbitrate({ hook: hook(hookState), observed: { state, source }, idleSince, now, staleMs: 30_000 });

describe('arbitrate', () => {
  it('keeps the hook state against a screen that disagrees mildly', () => {
    expect(decide('idle', 'busy').decision).toBe('keep-hook');
    expect(decide('busy', 'busy').decision).toBe('keep-hook');
    expect(decide('waiting_input', 'busy').decision).toBe('keep-hook');
    expect(decide('idle', 'idle').decision).toBe('keep-hook');
  });

  it('lets a dialog on screen win, keeping the hook record', () => {
    expect(decide('idle', 'waiting_input').decision).toBe('observe');
    expect(decide('busy', 'waiting_input').decision).toBe('observe');
  });

  it('lets lifecycle changes win and forgets the hook', () => {
    for (const state of ['offline', 'starting', 'failed'] as const) {
      expect(decide('busy', state).decision).toBe('observe-and-forget');
    }
    expect(decide('offline', 'idle').decision).toBe('observe-and-forget');
  });

  it('ignores connection churn (the hook process itself connects and leaves)', () => {
    expect(decide('busy', 'offline', 'socket').decision).toBe('keep-hook');
    expect(decide('idle', 'idle', 'socket').decision).toBe('keep-hook');
  });

  it('yields a busy or waiting hook to an idle screen after hook-stale-ms (Esc sends no Stop)', () => {
    const first = decide('busy', 'idle', 'screen', undefined, 1000);
    expect(first).toEqual({ decision: 'keep-hook', idleSince: 1000 });
    expect(decide('busy', 'idle', 'screen', 1000, 30_999).decision).toBe('keep-hook');
    expect(decide('busy', 'idle', 'screen', 1000, 31_000)).toEqual({
      decision: 'observe-and-forget',
      idleSince: undefined,
    });
    expect(decide('waiting_input', 'idle', 'screen', 1000, 31_000).decision).toBe('observe-and-forget');
    // A busy screen in between restarts the count.
    expect(decide('busy', 'busy', 'screen', 1000, 20_000).idleSince).toBeUndefined();
  });
});

function teamOf(members: Partial<Member>[]): Team {
  return { bundle: { id: 'team' }, members } as unknown as Team;
}

describe('SessionRegistry hook bookkeeping', () => {
  const agent = {
    id: 'bob',
    role: 'agent',
    transport: 'tmux',
    coder: { kind: 'tmux', hookStaleMs: 5000 },
  } as unknown as Member;
  const listener = { id: 'tui', role: 'agent', transport: 'socket' } as unknown as Member;

  it('shows hook states with source hook and keeps them against a disagreeing screen', () => {
    let now = 0;
    const registry = new SessionRegistry(teamOf([agent]), { now: () => now });
    const changes: string[] = [];
    registry.onChange((id) => changes.push(`${id}:${registry.statusOf(id).state}/${registry.statusOf(id).source}`));
    registry.update('bob', { state: 'idle', source: 'screen', reason: 'draft' });
    registry.reportHook('bob', { state: 'busy', event: 'PreToolUse' });
    expect(registry.statusOf('bob')).toMatchObject({ state: 'busy', source: 'hook', reason: null });
    expect(registry.hookState('bob')).toEqual({ state: 'busy', event: 'PreToolUse', at: 0 });
    now = 4999;
    registry.update('bob', { state: 'idle', source: 'screen', reason: null, attached: true });
    expect(registry.statusOf('bob')).toMatchObject({ state: 'busy', source: 'hook', attached: true });
    now = 9999;
    registry.update('bob', { state: 'idle', source: 'screen', reason: null, attached: true });
    // 5000 ms (the coder's hook-stale-ms) of idle screen since 4999: the screen wins.
    expect(registry.statusOf('bob')).toMatchObject({ state: 'idle', source: 'screen' });
    expect(registry.hookState('bob')).toBeUndefined();
    expect(changes).toEqual(['bob:idle/screen', 'bob:busy/hook', 'bob:busy/hook', 'bob:idle/screen']);
  });

  it('a new hook report restarts the stale count; offline from the screen forgets the hook', () => {
    let now = 0;
    const registry = new SessionRegistry(teamOf([agent]), { now: () => now });
    registry.reportHook('bob', { state: 'busy', event: 'PreToolUse' });
    registry.update('bob', { state: 'idle', source: 'screen' });
    now = 4000;
    registry.reportHook('bob', { state: 'busy', event: 'PostToolUse' });
    now = 6000;
    registry.update('bob', { state: 'idle', source: 'screen' });
    expect(registry.statusOf('bob').source).toBe('hook');
    registry.update('bob', { state: 'offline', source: 'screen' });
    expect(registry.statusOf('bob')).toMatchObject({ state: 'offline', source: 'screen' });
    expect(registry.hookState('bob')).toBeUndefined();
  });

  it('publishes submitted prompts and records conversation-only reports without a state change', () => {
    const registry = new SessionRegistry(teamOf([agent]));
    const prompts: string[] = [];
    const remove = registry.onPromptSubmitted((session, prompt) => prompts.push(`${session}:${prompt}`));
    registry.reportHook('bob', { event: 'SessionStart' });
    expect(registry.statusOf('bob').state).toBe('offline');
    expect(registry.hookState('bob')).toBeUndefined();
    registry.reportHook('bob', { state: 'busy', event: 'UserPromptSubmit', prompt: '--agentmux-01J\nhi' });
    expect(registry.hookState('bob')?.prompt).toBe('--agentmux-01J\nhi');
    remove();
    registry.reportHook('bob', { state: 'busy', event: 'UserPromptSubmit', prompt: 'again' });
    expect(prompts).toEqual(['bob:--agentmux-01J\nhi']);
    registry.reportHook('nobody', { state: 'busy', event: 'PreToolUse' });
    expect(registry.hookState('nobody')).toBeUndefined();
  });

  it('keeps a hook state when the hook process connection of a socket participant ends', () => {
    const registry = new SessionRegistry(teamOf([listener]));
    registry.connectionDelta('tui', 1);
    expect(registry.statusOf('tui')).toMatchObject({ state: 'idle', source: 'socket' });
    registry.reportHook('tui', { state: 'busy', event: 'BeforeAgent' });
    registry.connectionDelta('tui', -1);
    expect(registry.statusOf('tui')).toMatchObject({ state: 'busy', source: 'hook' });
    registry.reportHook('tui', { state: 'offline', event: 'SessionEnd' });
    registry.connectionDelta('tui', 1);
    expect(registry.statusOf('tui')).toMatchObject({ state: 'idle', source: 'socket' });
  });
});
