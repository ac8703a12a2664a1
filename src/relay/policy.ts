// Authorization: the relay is the only place that decides who may do what to whom.
import type { Member, PolicyControls, Scope } from '../config/index.js';
import { AgentmuxError } from '../core/errors.js';

/** A capability checked against a policy control. */
export type Capability = keyof PolicyControls;

/** The acting identity on a connection; observers have no member. */
export interface Principal {
  session: string | null;
  role: 'agent' | 'operator' | 'observer';
  member: Member | undefined;
  /** What the connection proved at hello: the operator key, its own agent credential, or nothing. */
  proof?: 'operator' | 'agent' | 'none';
}

/** Observers (status tools) may read the roster and status, nothing else. */
const OBSERVER_CAPABILITIES: ReadonlySet<Capability> = new Set(['list']);
/** An observer holding the operator key (`agentmux relay stop` in the user's shell) may also stop the relay. */
const KEYED_OBSERVER_CAPABILITIES: ReadonlySet<Capability> = new Set(['list', 'lifecycle']);

/** The scope a principal holds for a capability. */
export function scopeOf(principal: Principal, capability: Capability): Scope {
  if (principal.member) return principal.member.controls[capability];
  const allowed = principal.proof === 'operator' ? KEYED_OBSERVER_CAPABILITIES : OBSERVER_CAPABILITIES;
  return allowed.has(capability) ? 'all:home' : 'none';
}

/** Throws `authorization_forbidden` unless the principal may use `capability` on `target`. */
export function authorize(principal: Principal, capability: Capability, target?: string): void {
  const scope = scopeOf(principal, capability);
  if (scope === 'all:home' || scope === 'all:all') return;
  if (scope === 'self' && (target === undefined || target === principal.session)) return;
  throw new AgentmuxError('authorization_forbidden', 'request denied by authorization policy', {
    details: {
      capability,
      requester_session: principal.session,
      scope,
      ...(target === undefined ? {} : { target_session: target }),
    },
  });
}
