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
  const actor = principal.session === null ? 'an observer' : `session ${principal.session} (${principal.role})`;
  const on = target === undefined || target === principal.session ? '' : ` on ${target}`;
  const allows = scope === 'self' ? `allows ${capability} only on itself` : `does not allow ${capability}`;
  throw new AgentmuxError(
    'authorization_forbidden',
    `${actor} lacks the "${capability}" right${on}: its policy ${allows} (${capability} = "${scope}")`,
    {
      hint:
        principal.session === null
          ? 'observers may only list and read status; connect as a session of the bundle (--as-session)'
          : `grant ${capability} = "all:home" in the policy of ${principal.session} (policies.toml), or ask an operator to do it`,
      details: {
        capability,
        requester_session: principal.session,
        scope,
        ...(target === undefined ? {} : { target_session: target }),
      },
    },
  );
}
