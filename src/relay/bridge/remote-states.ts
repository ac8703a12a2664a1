// Sessions pinned to a host have their real state only on that host's relay (it watches their
// panes and hears their hooks). Each relay shares the states of the sessions it hosts in its
// presence heartbeat; the others write them into their registry, so `list`, `status`, the
// status files and `session.updated` show them as if they were local. A host no longer heard
// from has its sessions shown `offline`.
import { z } from 'zod';
import { SessionStateSchema, StateSourceSchema } from '../../core/protocol/index.js';
import type { SessionStatus } from '../session-registry.js';
import type { RelayCore } from '../relay-core.js';
import type { HostMap } from './hosts.js';

/** A reason longer than this is cut before it is shared (screen hints can be long). */
export const MAX_SHARED_REASON_CHARS = 200;

const SharedStatusSchema = z.object({
  state: SessionStateSchema,
  source: StateSourceSchema,
  reason: z.string().max(MAX_SHARED_REASON_CHARS).nullable(),
  attached: z.boolean(),
});

/** A heartbeat's body: the sender's hosted sessions by id. Loose: later relays may add fields. */
export const PresenceBeatSchema = z.looseObject({
  sessions: z.record(z.string().min(1).max(64), SharedStatusSchema),
});
export type PresenceBeat = z.infer<typeof PresenceBeatSchema>;

type StatesDeps = Pick<RelayCore, 'registry'>;

/** What this relay tells the others: the state of every session pinned to this host. */
export function hostedStates(core: StatesDeps, hosts: HostMap): PresenceBeat {
  const sessions: PresenceBeat['sessions'] = {};
  for (const [id, host] of hosts.pinned) {
    if (host !== hosts.local) continue;
    const { state, source, reason, attached } = core.registry.statusOf(id);
    sessions[id] = { state, source, reason: reason?.slice(0, MAX_SHARED_REASON_CHARS) ?? null, attached };
  }
  return { sessions };
}

/**
 * Reads a heartbeat body; undefined when it carries no states (a relay from before states
 * were shared sends an empty body) or is malformed — the host still counts as heard.
 */
export function parseBeat(data: Uint8Array): PresenceBeat | undefined {
  if (data.length === 0) return undefined;
  try {
    const parsed = PresenceBeatSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Takes in what `host` said of its sessions; a session not pinned to `host` is not its to report. */
export function applyRemoteStates(core: StatesDeps, hosts: HostMap, host: string, beat: PresenceBeat): void {
  if (host === hosts.local) return;
  for (const [id, status] of Object.entries(beat.sessions)) {
    if (hosts.pinned.get(id) !== host) continue;
    core.registry.update(id, status satisfies SessionStatus);
  }
}

/** `host` is no longer heard from: its sessions show `offline` until it is heard again. */
export function forgetRemoteStates(core: StatesDeps, hosts: HostMap, host: string): void {
  if (host === hosts.local) return;
  for (const [id, pinnedTo] of hosts.pinned) {
    if (pinnedTo !== host) continue;
    core.registry.update(id, { state: 'offline', reason: null, attached: false });
  }
}
