// Which pane each of a bundle's tmux agents has, which vanished, and what the transport last
// reported about them: the bookkeeping the tmux transport's delivery, `up`/`down` and status
// poll share.
import type { Member, Team, TmuxCoder } from '../../config/index.js';
import { draftReason } from '../../core/session-words.js';
import type { SessionState } from '../../core/protocol/index.js';
import { detectorFor, type ScreenVerdict } from '../readiness/index.js';
import type { PaneActivity } from './pane-activity.js';
import type { PaneTarget } from './pane-delivery.js';
import type { PaneObserver } from './pane-observer.js';
import { screenRulesOf } from './screen-rules.js';
import type { TmuxTransportOptions } from './tmux-transport-options.js';

export type TmuxMember = Member & { coder: TmuxCoder };

interface Pane {
  paneId: string;
  /** A delivery or recovery is typing into it: the status poll leaves it alone. */
  delivering: boolean;
}

type PanesOptions = Pick<TmuxTransportOptions, 'clock' | 'hooks' | 'onStatus' | 'onReachable'>;

export class AgentPanes {
  readonly members = new Map<string, TmuxMember>();
  private readonly panes = new Map<string, Pane>();
  private readonly attached = new Map<string, boolean>();
  /** Sessions whose pane vanished (not stopped by `down`), with when: older messages fail with pane_gone. */
  readonly vanished = new Map<string, number>();
  /** Sessions `up --restart` is replacing: their pane going away is not a vanished agent. */
  readonly restarting = new Set<string>();

  constructor(
    team: Team,
    private readonly activity: PaneActivity,
    private readonly observer: PaneObserver,
    private readonly options: PanesOptions,
  ) {
    for (const member of team.members) {
      if (member.transport === 'tmux' && member.coder?.kind === 'tmux')
        this.members.set(member.id, { ...member, coder: member.coder });
    }
  }

  get size(): number {
    return this.panes.size;
  }

  pane(session: string): Pane | undefined {
    return this.panes.get(session);
  }

  handles(recipient: string): boolean {
    return this.members.has(recipient) && (this.panes.has(recipient) || this.vanished.has(recipient));
  }

  attachedNow(session: string): boolean {
    return this.attached.get(session) ?? false;
  }

  adopt(session: string, paneId: string): void {
    const current = this.panes.get(session);
    this.activity.watch(session, paneId);
    if (current?.paneId === paneId) return;
    if (current) this.observer.forget(current.paneId);
    this.vanished.delete(session);
    this.panes.set(session, { paneId, delivering: false });
    this.options.onReachable(session);
  }

  /** Drops a session's pane; `vanished` (not stopped by us) makes its queued messages fail. */
  lost(session: string, vanished = true): void {
    const pane = this.panes.get(session);
    if (pane) this.observer.forget(pane.paneId);
    this.activity.forget(session);
    this.panes.delete(session);
    this.options.onStatus(session, { state: 'offline', reason: null, attached: false });
    if (pane && vanished && !this.restarting.has(session)) {
      this.vanished.set(session, this.options.clock.now());
      this.options.onReachable(session);
    }
  }

  select(sessions: string[] | undefined): TmuxMember[] {
    const all = [...this.members.values()];
    return sessions === undefined ? all : all.filter((m) => sessions.includes(m.id));
  }

  firstSession(): string | undefined {
    return this.panes.keys().next().value;
  }

  target(session: string): PaneTarget | undefined {
    const member = this.members.get(session);
    const pane = this.panes.get(session);
    if (!member || !pane) return undefined;
    const coder = member.coder;
    return {
      session,
      paneId: pane.paneId,
      coder,
      detector: detectorFor(coder.detector),
      hook: () => this.options.hooks?.state(session),
      rules: screenRulesOf(coder),
    };
  }

  /** Reports what a look at the pane found as the session's state (gone: the pane is lost). */
  report(session: string, verdict: ScreenVerdict | 'gone', attached?: boolean): void {
    if (verdict === 'gone') {
      this.lost(session);
      return;
    }
    const state: SessionState =
      verdict.state === 'busy' || verdict.state === 'not_ready'
        ? 'busy'
        : verdict.state === 'waiting_input'
          ? 'waiting_input'
          : 'idle';
    const reason =
      verdict.state === 'ready' ? null : verdict.state === 'draft' ? draftReason(verdict.reason) : verdict.reason;
    if (attached !== undefined) this.attached.set(session, attached);
    this.options.onStatus(session, { state, reason, attached: this.attachedNow(session) });
    if (state === 'idle') this.options.onReachable(session);
  }
}
