// Watches panes: one capture plus cursor/mode per look, with the time the screen last
// changed, so readiness can require a quiet window without a process per check.
import type { Clock } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import type { PaneActivity } from './pane-activity.js';
import type { PaneInfo, TmuxServer } from './tmux-server.js';

/** One look at a pane. */
export interface Observation {
  info: PaneInfo;
  lines: string[];
  /** Monotonic ms at which the visible text last changed (or the pane was first seen). */
  changedAt: number;
  /** How long the screen has been unchanged, in ms. */
  quietFor: number;
}

/** Remembers each pane's last screen to measure quietness. */
export class PaneObserver {
  private readonly last = new Map<string, { text: string; changedAt: number; lookedAt: number }>();

  constructor(
    private readonly server: TmuxServer,
    private readonly clock: Clock,
    /** The panes' output as reported by tmux, when watched: dates a change to its output. */
    private readonly activity?: Pick<PaneActivity, 'output' | 'looked'>,
  ) {}

  /**
   * Captures the visible screen; null only when tmux says the pane (or its server) is gone.
   * Any other failure (a control client that closed with commands in flight, a timeout) is
   * thrown: the caller looks again rather than giving the pane up.
   */
  async observe(paneId: string): Promise<Observation | null> {
    const lookedAt = this.clock.monotonic();
    this.activity?.looked(paneId, lookedAt);
    const info = await this.server.paneInfo(paneId);
    if (!info || info.dead) return null;
    let lines: string[];
    try {
      lines = await this.server.capture(paneId);
    } catch (error) {
      if (isPaneGone(error)) return null;
      throw error;
    }
    const now = this.clock.monotonic();
    const text = lines.join('\n');
    const previous = this.last.get(paneId);
    // A change is dated to the pane's last output when tmux reported output since the previous
    // look (a screen that just went quiet is quiet from then, not from this look); else to now.
    const lastOutputAt = this.activity?.output(paneId)?.lastOutputAt;
    const changedAt = !previous
      ? now
      : previous.text === text
        ? previous.changedAt
        : lastOutputAt !== undefined && lastOutputAt > previous.lookedAt
          ? Math.min(lastOutputAt, now)
          : now;
    this.last.set(paneId, { text, changedAt, lookedAt });
    return { info, lines, changedAt, quietFor: now - changedAt };
  }

  /** Forgets a pane (after it is gone or replaced). */
  forget(paneId: string): void {
    this.last.delete(paneId);
  }
}

/** True for the error tmux answers with when the pane or its server no longer exists. */
export function isPaneGone(error: unknown): boolean {
  return error instanceof AgentmuxError && error.code === 'runtime_target_unavailable';
}
