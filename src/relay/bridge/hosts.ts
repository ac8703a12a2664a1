// Who lives where in a multi-host bundle, and how an address names a session on another host.
// Pure: the send path uses it without loading the NATS client (that is in ./nats-bridge.ts).
import { hostname } from 'node:os';
import type { Member, Team } from '../../config/index.js';
import { AgentmuxError } from '../../core/errors.js';

/** The host part separator: `alice@build`. */
export const HOST_SEPARATOR = '@';

/** A bundle's hosts as one relay sees them. */
export interface HostMap {
  /** The host this relay runs on. */
  local: string;
  /** Every `[[hosts]]` id. */
  hosts: ReadonlySet<string>;
  /** Sessions pinned to a host (`host = "..."`), by session id. */
  pinned: ReadonlyMap<string, string>;
}

/** True when the bundle spans hosts (has `[[hosts]]`); only then is the bridge loaded. */
export function isMultiHost(team: Team): boolean {
  return (team.bundle.hosts?.length ?? 0) > 0;
}

/**
 * The host this relay runs on: `$AGENTMUX_HOST`, else the `[[hosts]]` id equal to the
 * machine's short host name.
 */
export function resolveHostMap(team: Team, env: NodeJS.ProcessEnv = process.env): HostMap {
  const hosts = new Set((team.bundle.hosts ?? []).map((host) => host.id));
  const pinned = new Map<string, string>();
  for (const session of team.bundle.sessions) if (session.host !== undefined) pinned.set(session.id, session.host);
  const machine = hostname().split('.')[0]?.toLowerCase() ?? '';
  const local = env.AGENTMUX_HOST ?? (hosts.has(machine) ? machine : undefined);
  if (local === undefined || !hosts.has(local)) {
    throw new AgentmuxError(
      'validation_unknown_host',
      local === undefined
        ? `bundle ${team.bundle.id} spans hosts (${[...hosts].join(', ')}) but none is this machine ("${machine}")`
        : `AGENTMUX_HOST="${local}" is not a [[hosts]] id of bundle ${team.bundle.id}`,
      { details: { hosts: [...hosts], machine } },
    );
  }
  return { local, hosts, pinned };
}

/** The team as this host's relay runs it: sessions pinned elsewhere are reached through the bridge. */
export function localTeam(team: Team, map: HostMap): Team {
  const remoteHost = (member: Member): string | undefined => {
    const host = map.pinned.get(member.id);
    return member.role === 'agent' && host !== undefined && host !== map.local ? host : undefined;
  };
  if (!team.members.some((member) => remoteHost(member) !== undefined)) return team;
  return {
    ...team,
    members: team.members.map((member) => {
      const host = remoteHost(member);
      return host === undefined
        ? member
        : { ...member, transport: 'socket' as const, coder: undefined, remoteHost: host };
    }),
  };
}

/** The host a session lives on, or undefined when it lives on every host (operators, unpinned). */
export function hostOf(map: HostMap, address: string): string {
  const at = address.indexOf(HOST_SEPARATOR);
  if (at !== -1) return address.slice(at + 1);
  return map.pinned.get(address) ?? map.local;
}

/** The session id on its own host: `alice@build` → `alice`. */
export function sessionPart(address: string): string {
  const at = address.indexOf(HOST_SEPARATOR);
  return at === -1 ? address : address.slice(0, at);
}

/**
 * The one spelling the journal and router use for an address: a session of this host or one
 * pinned to its host is its bare id; anyone else on another host is `id@host`.
 */
export function canonicalAddress(map: HostMap, address: string): string {
  const at = address.indexOf(HOST_SEPARATOR);
  if (at === -1) return address;
  const id = address.slice(0, at);
  const host = address.slice(at + 1);
  if (!map.hosts.has(host)) {
    throw new AgentmuxError('validation_unknown_target', `unknown host "${host}" in target ${address}`, {
      hint: `hosts of this bundle: ${[...map.hosts].join(', ')}`,
      details: { target: address, hosts: [...map.hosts] },
    });
  }
  const pinnedTo = map.pinned.get(id);
  if (pinnedTo !== undefined && pinnedTo !== host) {
    throw new AgentmuxError('validation_unknown_target', `session ${id} lives on host ${pinnedTo}, not ${host}`, {
      hint: `send to ${id} or ${id}@${pinnedTo}`,
      details: { target: address, host: pinnedTo },
    });
  }
  if (host === map.local || pinnedTo === host) return id;
  return address;
}

/** True when delivery to `address` goes through the bridge. */
export function isRemote(map: HostMap, address: string): boolean {
  return hostOf(map, address) !== map.local;
}
