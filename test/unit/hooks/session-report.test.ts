// The relay's `session.report` handler with a real journal and registry: identity from the
// hello only, conversation ids journaled once per change, observers refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member, Team } from '../../../src/config/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { handleSessionReport, type SessionReportDeps } from '../../../src/relay/handlers/session-report.js';
import type { Principal } from '../../../src/relay/policy.js';
import { SessionRegistry } from '../../../src/relay/session-registry.js';
import { ManualClock, openTempJournal, type TempJournal } from '../relay/fixtures.js';

let temp: TempJournal;
// Only what the handler declares it uses: no whole relay core.
let core: SessionReportDeps;
let logged: string[];

beforeEach(() => {
  temp = openTempJournal();
  logged = [];
  const bob = { id: 'bob', role: 'agent', transport: 'tmux', coder: { kind: 'tmux', hookStaleMs: 30_000 } };
  const team = { bundle: { id: 'team' }, members: [bob] } as unknown as Team;
  core = {
    registry: new SessionRegistry(team),
    journal: temp.journal,
    clock: new ManualClock(),
    log: {
      info: (event: string) => logged.push(event),
      warn: (event: string) => logged.push(event),
      error: (event: string) => logged.push(event),
      close: () => undefined,
    },
  };
});
afterEach(() => temp.cleanup());

const bob: Principal = { session: 'bob', role: 'agent', member: { id: 'bob' } as Member };

describe('handleSessionReport', () => {
  it('sets the hook state for the hello session and answers with the visible state', () => {
    const result = handleSessionReport(core, bob, { state: 'busy', event: 'PreToolUse', conversation_id: 'c-1' });
    expect(result).toEqual({ session: 'bob', state: 'busy', state_source: 'hook' });
    expect(core.registry.hookState('bob')).toMatchObject({ state: 'busy', event: 'PreToolUse' });
    expect(temp.journal.conversationId('bob')).toBe('c-1');
  });

  it('writes the conversation id only when it changes', () => {
    const start = handleSessionReport(core, bob, { event: 'SessionStart', conversation_id: 'c-1' });
    // A SessionStart alone changes no state.
    expect(start).toEqual({ session: 'bob', state: 'offline', state_source: 'screen' });
    handleSessionReport(core, bob, { state: 'busy', event: 'PreToolUse', conversation_id: 'c-1' });
    handleSessionReport(core, bob, { state: 'idle', event: 'Stop', conversation_id: 'c-2' });
    expect(logged).toEqual(['session.conversation', 'session.conversation']);
    expect(temp.journal.conversationId('bob')).toBe('c-2');
  });

  it('passes a submitted prompt to the prompt listeners', () => {
    const prompts: string[] = [];
    core.registry.onPromptSubmitted((session, prompt) => prompts.push(`${session}:${prompt}`));
    handleSessionReport(core, bob, { state: 'busy', event: 'UserPromptSubmit', prompt: '--agentmux-01J\nhi' });
    expect(prompts).toEqual(['bob:--agentmux-01J\nhi']);
  });

  it('refuses observers, which have no session to report for', () => {
    const observer: Principal = { session: null, role: 'observer', member: undefined };
    expect(() => handleSessionReport(core, observer, { state: 'idle', event: 'Stop' })).toThrow(AgentmuxError);
  });
});
