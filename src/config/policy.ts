// Built-in controls and how a member's controls are found: its session's policy, else the
// file's default, else the built-in for its role; named controls override the role's built-in.
import { AgentmuxError } from '../core/errors.js';
import type { MemberRole, PoliciesConfig, PolicyControls } from './types.js';

/** Agents: find themselves, see and message the bundle, no raw writes, lifecycle or grants. */
export const AGENT_DEFAULT_CONTROLS: Readonly<PolicyControls> = Object.freeze({
  find: 'self',
  list: 'all:home',
  look: 'all:home',
  send: 'all:home',
  raww: 'none',
  lifecycle: 'none',
  grant: 'none',
  history: 'self',
});

/** Operators: every control reaches the whole bundle. */
export const OPERATOR_DEFAULT_CONTROLS: Readonly<PolicyControls> = Object.freeze({
  find: 'all:home',
  list: 'all:home',
  look: 'all:home',
  send: 'all:home',
  raww: 'all:home',
  lifecycle: 'all:home',
  grant: 'all:home',
  history: 'all:home',
});

/** The built-in controls of a role, as a fresh object. */
export function builtInControls(role: MemberRole): PolicyControls {
  return { ...(role === 'agent' ? AGENT_DEFAULT_CONTROLS : OPERATOR_DEFAULT_CONTROLS) };
}

/** Resolves a member's controls; an unknown policy id throws validation_unknown_policy. */
export function resolveMemberControls(
  role: MemberRole,
  policyId: string | undefined,
  policies: PoliciesConfig,
): PolicyControls {
  // The file's `default` preset is for agents; operators without a policy keep operator rights.
  const id = policyId ?? (role === 'agent' ? policies.defaultId : undefined);
  if (id === undefined) return builtInControls(role);
  const preset = policies.presets.get(id);
  if (preset === undefined) {
    throw new AgentmuxError('validation_unknown_policy', `unknown policy "${id}"`, {
      details: { policy: id, known: [...policies.presets.keys()] },
    });
  }
  return { ...builtInControls(role), ...preset.declared };
}
