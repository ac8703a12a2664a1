// `list` and `status`: who is in the bundle and what each is doing.
import { rfc3339 } from '../../core/clock.js';
import type { ListResult, StatusSnapshot } from '../../core/protocol/index.js';
import { hostOf } from '../bridge/hosts.js';
import { authorize, scopeOf, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What `list` uses. */
export type ListDeps = Pick<RelayCore, 'registry' | 'router' | 'version' | 'hosts' | 'bridge'>;
/** What the status snapshot is built from. */
export type StatusDeps = Pick<RelayCore, 'registry' | 'router' | 'clock'> &
  Partial<Pick<RelayCore, 'hosts' | 'bridge'>>;

/**
 * How a session on an unreachable host shows: the state its host last shared is stale (the
 * bridge also writes `offline` into the registry, within a heartbeat of losing the host).
 */
const UNREACHABLE = { state: 'offline', reason: null } as const;

/** `list`: the roster with live state, queue depth and unread counts. */
export function handleList(core: ListDeps, principal: Principal): ListResult {
  authorize(principal, 'list');
  const selfOnly = scopeOf(principal, 'list') === 'self';
  const sessions = core.registry
    .all()
    .filter((member) => !selfOnly || member.id === principal.session)
    .map((member) => {
      const view = core.registry.view(member.id, {
        queued: core.router.queued(member.id),
        unread: core.router.unreadOf(member.id),
      });
      if (core.hosts === undefined) return view;
      const host = hostOf(core.hosts, member.id);
      const reachable = core.bridge?.reachable(host) ?? false;
      const stale = host !== core.hosts.local && !reachable;
      return { ...view, ...(stale ? UNREACHABLE : {}), host, reachable };
    });
  return {
    bundle: core.registry.bundle,
    relay: { pid: process.pid, state: 'running', version: core.version },
    sessions,
  };
}

/** The status snapshot shared by `status`, the status files and the tmux option. */
export function buildStatus(core: StatusDeps): StatusSnapshot {
  const sessions = core.registry.all().map((member) => {
    const status = core.registry.statusOf(member.id);
    const remote = remoteHost(core, member.id);
    return {
      id: member.id,
      state: status.state,
      queued: core.router.queued(member.id),
      unread: core.router.unreadOf(member.id),
      attached: status.attached,
      reason: status.reason ?? null,
      ...remote,
      ...(remote.reachable === false ? UNREACHABLE : {}),
    };
  });
  return {
    bundle: core.registry.bundle,
    updated_at: rfc3339(core.clock.now()),
    relay: { state: 'running', pid: process.pid },
    sessions,
    needs_operator: sessions.filter((s) => s.state === 'waiting_input').map((s) => s.id),
  };
}

/** Where a session on another host lives and whether that host is reachable; nothing for local ones. */
function remoteHost(core: StatusDeps, id: string): { host?: string; reachable?: boolean } {
  if (core.hosts === undefined) return {};
  const host = hostOf(core.hosts, id);
  if (host === core.hosts.local) return {};
  return { host, reachable: core.bridge?.reachable(host) ?? false };
}
