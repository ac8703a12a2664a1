// `permission.list`, `permission.approve`, `permission.deny`: operators answer the permission
// requests of ACP agents (policy control `grant`, which agents lack by default).
import type { z } from 'zod';
import type { PermissionListResult, PermissionResolution } from '../../core/protocol/index.js';
import type { PermissionApproveParamsSchema, PermissionDenyParamsSchema } from '../../core/protocol/methods.js';
import { authorize, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What the permission handlers use: the desk of pending requests, and the log for answers. */
export type PermissionDeps = Pick<RelayCore, 'permissions' | 'log'>;

/** `permission.list`: pending requests of the sessions the principal may grant for. */
export function handlePermissionList(core: Pick<RelayCore, 'permissions'>, principal: Principal): PermissionListResult {
  authorize(principal, 'grant');
  return {
    permissions: core.permissions.list().filter((request) => {
      try {
        authorize(principal, 'grant', request.session);
        return true;
      } catch {
        return false;
      }
    }),
  };
}

/** `permission.approve`: chooses the named option, or the agent's first allow option. */
export function handlePermissionApprove(
  core: PermissionDeps,
  principal: Principal,
  params: z.infer<typeof PermissionApproveParamsSchema>,
): PermissionResolution {
  authorize(principal, 'grant');
  authorize(principal, 'grant', core.permissions.sessionOf(params.id));
  const resolution = core.permissions.approve(params.id, params.option, decider(principal));
  core.log.info('relay.permission_approved', { id: params.id, session: resolution.session, by: principal.session });
  return resolution;
}

/** `permission.deny`: chooses the agent's reject option, or cancels when it offered none. */
export function handlePermissionDeny(
  core: PermissionDeps,
  principal: Principal,
  params: z.infer<typeof PermissionDenyParamsSchema>,
): PermissionResolution {
  authorize(principal, 'grant');
  authorize(principal, 'grant', core.permissions.sessionOf(params.id));
  const resolution = core.permissions.deny(params.id, decider(principal));
  core.log.info('relay.permission_denied', { id: params.id, session: resolution.session, by: principal.session });
  return resolution;
}

function decider(principal: Principal): string {
  return principal.session ?? 'observer';
}
