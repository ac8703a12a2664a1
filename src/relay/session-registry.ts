// What the relay knows about each participant: configuration, live connections and state.
import type { Member, Team } from '../config/index.js';
import type { SessionState, SessionView, StateSource } from '../core/protocol/index.js';

/** A session's current state and where the relay learned it. */
export interface SessionStatus {
  state: SessionState;
  source: StateSource;
  reason: string | null;
  attached: boolean;
}

/** Observes state changes (for `session.updated` and the status files). */
export type SessionListener = (id: string) => void;

/** Members of the bundle (agents, then operators) and their live state. */
export class SessionRegistry {
  readonly bundle: string;
  private readonly members = new Map<string, Member>();
  private readonly status = new Map<string, SessionStatus>();
  private readonly connections = new Map<string, number>();
  private readonly listeners = new Set<SessionListener>();

  constructor(team: Team) {
    this.bundle = team.bundle.id;
    for (const member of team.members) {
      this.members.set(member.id, member);
      this.status.set(member.id, {
        state: 'offline',
        source: member.transport === 'tmux' ? 'screen' : member.transport === 'acp' ? 'acp' : 'socket',
        reason: null,
        attached: false,
      });
    }
  }

  /** The member with this id, if it belongs to the bundle. */
  member(id: string): Member | undefined {
    return this.members.get(id);
  }

  /** All members in roster order. */
  all(): Member[] {
    return [...this.members.values()];
  }

  /** Agents only, in file order (broadcast targets). */
  agents(): Member[] {
    return this.all().filter((member) => member.role === 'agent');
  }

  /** Adds a listener; returns its removal. */
  onChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The live state of a session. */
  statusOf(id: string): SessionStatus {
    return this.status.get(id) ?? { state: 'offline', source: 'socket', reason: null, attached: false };
  }

  /** Records a state change reported by a transport, a hook or a connection. */
  update(id: string, change: Partial<SessionStatus>): void {
    const current = this.status.get(id);
    if (!current) return;
    const next = { ...current, ...change };
    if (
      next.state === current.state &&
      next.source === current.source &&
      next.reason === current.reason &&
      next.attached === current.attached
    ) {
      return;
    }
    this.status.set(id, next);
    for (const listener of this.listeners) listener(id);
  }

  /** A connection bound to `id` opened (+1) or closed (-1); drives socket participants' state. */
  connectionDelta(id: string, delta: 1 | -1): void {
    const count = Math.max(0, (this.connections.get(id) ?? 0) + delta);
    this.connections.set(id, count);
    const member = this.members.get(id);
    if (member?.transport !== 'socket') return;
    this.update(id, { state: count > 0 ? 'idle' : 'offline', source: 'socket' });
  }

  /** The session as `list` shows it. */
  view(id: string, counts: { queued: number; unread: number }): SessionView {
    const member = this.members.get(id);
    const status = this.statusOf(id);
    return {
      id,
      name: member?.name ?? null,
      role: member?.role ?? 'agent',
      transport: member?.transport ?? 'socket',
      state: status.state,
      state_source: status.source,
      reason: status.reason,
      queued: counts.queued,
      unread: counts.unread,
      attached: status.attached,
      description: member?.description ?? null,
    };
  }
}
