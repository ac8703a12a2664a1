// What the relay knows about each participant: configuration, live connections and state.
import { TMUX_DEFAULTS, type Member, type Team } from '../config/index.js';
import type { HookState, SessionState, SessionView, StateSource } from '../core/protocol/index.js';
import { arbitrate, type HookRecord } from '../hooks/arbitrate.js';

/** A session's current state and where the relay learned it. */
export interface SessionStatus {
  state: SessionState;
  source: StateSource;
  reason: string | null;
  attached: boolean;
}

/** Observes state changes (for `session.updated` and the status files). */
export type SessionListener = (id: string) => void;

/** Hears each prompt an agent's hook reports as submitted (the tmux delivery confirms with it). */
export type PromptListener = (session: string, prompt: string) => void;

/** What one `session.report` tells the registry. */
export interface HookReportInput {
  state?: HookState;
  event: string;
  prompt?: string;
}

/** Members of the bundle (agents, then operators) and their live state. */
export class SessionRegistry {
  readonly bundle: string;
  private readonly members = new Map<string, Member>();
  private readonly status = new Map<string, SessionStatus>();
  private readonly connections = new Map<string, number>();
  private readonly listeners = new Set<SessionListener>();
  private readonly hooks = new Map<string, HookRecord>();
  private readonly idleSince = new Map<string, number>();
  private readonly promptListeners = new Set<PromptListener>();
  private readonly now: () => number;

  constructor(team: Team, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
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
    const next = { ...current, ...this.arbitrated(id, change) };
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

  /** Records what the agent's own hooks said; the visible state follows when `state` is given. */
  reportHook(id: string, report: HookReportInput): void {
    if (!this.members.has(id)) return;
    if (report.state !== undefined) {
      const { state, event, prompt } = report;
      this.hooks.set(id, { state, event, at: this.now(), ...(prompt === undefined ? {} : { prompt }) });
      this.idleSince.delete(id);
      this.update(id, { state, source: 'hook', reason: null });
    }
    // Listeners must not throw: they run inside the report's request.
    if (report.prompt !== undefined) for (const listener of this.promptListeners) listener(id, report.prompt);
  }

  /** The last hook report of a session, until the screen or a lifecycle change overrides it. */
  hookState(id: string): Readonly<HookRecord> | undefined {
    return this.hooks.get(id);
  }

  /** Adds a listener for submitted prompts (UserPromptSubmit/BeforeAgent); returns its removal. */
  onPromptSubmitted(listener: PromptListener): () => void {
    this.promptListeners.add(listener);
    return () => this.promptListeners.delete(listener);
  }

  // Hooks first, screen second (src/hooks/arbitrate.ts): while a hook record stands, other
  // sources change the state only when the rules say so; `attached` always passes through.
  private arbitrated(id: string, change: Partial<SessionStatus>): Partial<SessionStatus> {
    const hook = this.hooks.get(id);
    const { state, source } = change;
    if (!hook || state === undefined || source === undefined || source === 'hook') return change;
    const verdict = arbitrate({
      hook,
      observed: { state, source },
      idleSince: this.idleSince.get(id),
      now: this.now(),
      staleMs: this.hookStaleMs(id),
    });
    if (verdict.idleSince === undefined) this.idleSince.delete(id);
    else this.idleSince.set(id, verdict.idleSince);
    if (verdict.decision === 'observe-and-forget') this.hooks.delete(id);
    if (verdict.decision !== 'keep-hook') return change;
    return {
      ...(change.attached === undefined ? {} : { attached: change.attached }),
      state: hook.state,
      source: 'hook',
      reason: state === hook.state ? (change.reason ?? null) : null,
    };
  }

  private hookStaleMs(id: string): number {
    const coder = this.members.get(id)?.coder;
    return coder?.kind === 'tmux' ? coder.hookStaleMs : TMUX_DEFAULTS.hookStaleMs;
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
      // A session on another host: this relay only reaches it through the bridge.
      transport: member?.remoteHost !== undefined ? 'remote' : (member?.transport ?? 'socket'),
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
