// Authorization: scopes none/self/all:home per capability, the built-in role defaults, observers.
import { describe, expect, it } from 'vitest';
import {
  AGENT_DEFAULT_CONTROLS,
  OPERATOR_DEFAULT_CONTROLS,
  type Member,
  type PolicyControls,
  type Scope,
} from '../../../src/config/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { authorize, scopeOf, type Capability, type Principal } from '../../../src/relay/policy.js';

function principal(session: string, role: 'agent' | 'operator', controls: Partial<PolicyControls> = {}): Principal {
  const base = role === 'agent' ? AGENT_DEFAULT_CONTROLS : OPERATOR_DEFAULT_CONTROLS;
  const member: Member = { id: session, role, transport: 'socket', controls: { ...base, ...controls } };
  return { session, role, member };
}

const observer: Principal = { session: null, role: 'observer', member: undefined };

function allowed(who: Principal, capability: Capability, target?: string): boolean {
  try {
    authorize(who, capability, target);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(AgentmuxError);
    expect((error as AgentmuxError).code).toBe('authorization_forbidden');
    return false;
  }
}

const CAPABILITIES: Capability[] = ['send', 'look', 'raww', 'lifecycle'];

describe('authorize by scope', () => {
  it.each(CAPABILITIES)('%s: none refuses everyone, including oneself', (capability) => {
    const alice = principal('alice', 'agent', { [capability]: 'none' satisfies Scope });
    expect(allowed(alice, capability, 'bob')).toBe(false);
    expect(allowed(alice, capability, 'alice')).toBe(false);
    expect(allowed(alice, capability)).toBe(false);
  });

  it.each(CAPABILITIES)('%s: self allows only oneself (or no target)', (capability) => {
    const alice = principal('alice', 'agent', { [capability]: 'self' satisfies Scope });
    expect(allowed(alice, capability, 'alice')).toBe(true);
    expect(allowed(alice, capability)).toBe(true);
    expect(allowed(alice, capability, 'bob')).toBe(false);
  });

  it.each(CAPABILITIES)('%s: all:home allows any member of the bundle', (capability) => {
    const alice = principal('alice', 'agent', { [capability]: 'all:home' satisfies Scope });
    expect(allowed(alice, capability, 'bob')).toBe(true);
    expect(allowed(alice, capability, 'alice')).toBe(true);
    expect(allowed(alice, capability)).toBe(true);
  });

  it('explains a refusal with the capability, requester, scope and target', () => {
    const alice = principal('alice', 'agent');
    let caught: AgentmuxError | undefined;
    try {
      authorize(alice, 'raww', 'bob');
    } catch (error) {
      caught = error as AgentmuxError;
    }
    expect(caught?.details).toEqual({
      capability: 'raww',
      requester_session: 'alice',
      scope: 'none',
      target_session: 'bob',
    });
    // The message itself says who acted and which right is missing (people read only that).
    expect(caught?.message).toBe(
      'session alice (agent) lacks the "raww" right on bob: its policy does not allow raww (raww = "none")',
    );
    expect(caught?.hint).toContain('raww = "all:home"');
    expect(caught?.hint).toContain('policy of alice');
  });

  it('names an observer and a self-only scope in the refusal', () => {
    const refusal = (who: Principal, capability: Capability, target?: string): AgentmuxError => {
      try {
        authorize(who, capability, target);
      } catch (error) {
        return error as AgentmuxError;
      }
      throw new Error('allowed');
    };
    const bob = principal('bob', 'agent', { look: 'self' });
    expect(refusal(bob, 'look', 'carol').message).toBe(
      'session bob (agent) lacks the "look" right on carol: its policy allows look only on itself (look = "self")',
    );
    const seen = refusal(observer, 'send', 'bob');
    expect(seen.message).toMatch(/^an observer lacks the "send" right on bob/);
    expect(seen.hint).toMatch(/--as-session/);
  });
});

describe('built-in role defaults', () => {
  it('lets agents message and look at the bundle but not raww or run lifecycle', () => {
    const alice = principal('alice', 'agent');
    expect(allowed(alice, 'send', 'bob')).toBe(true);
    expect(allowed(alice, 'look', 'bob')).toBe(true);
    expect(allowed(alice, 'raww', 'bob')).toBe(false);
    expect(allowed(alice, 'lifecycle', 'bob')).toBe(false);
    expect(allowed(alice, 'lifecycle')).toBe(false);
    expect(scopeOf(alice, 'history')).toBe('self');
  });

  it('lets operators do everything in the bundle', () => {
    const user = principal('user', 'operator');
    for (const capability of CAPABILITIES) expect(allowed(user, capability, 'bob')).toBe(true);
    expect(scopeOf(user, 'history')).toBe('all:home');
  });
});

describe('observers', () => {
  it('may only list: no lifecycle (up, down, relay.shutdown) and nothing else', () => {
    expect(allowed(observer, 'list')).toBe(true);
    expect(allowed(observer, 'lifecycle')).toBe(false);
    expect(allowed(observer, 'lifecycle', 'bob')).toBe(false);
    for (const capability of ['send', 'look', 'raww', 'history', 'grant', 'find'] as const) {
      expect(allowed(observer, capability, 'bob')).toBe(false);
      expect(scopeOf(observer, capability)).toBe('none');
    }
  });

  it('holding the operator key (a human shell running `relay stop`) may also stop the relay, nothing more', () => {
    const keyed: Principal = { ...observer, proof: 'operator' };
    expect(allowed(keyed, 'list')).toBe(true);
    expect(allowed(keyed, 'lifecycle')).toBe(true);
    for (const capability of ['send', 'look', 'raww', 'history', 'grant', 'find'] as const) {
      expect(allowed(keyed, capability, 'bob')).toBe(false);
    }
  });
});
