// Agents that exit: the private server keeps a dead pane (remain-on-exit), so the relay can say
// how an agent ended (exit status, last lines) in `up`, `list` and its log instead of "offline".
import type { Clock } from '../../core/clock.js';
import type { SessionOutcome } from '../../core/protocol/index.js';
import { judge, type PaneTarget } from './pane-delivery.js';
import type { PaneObserver } from './pane-observer.js';
import type { TmuxRunner } from './runner.js';
import type { TmuxServer } from './tmux-server.js';
import type { PaneStatus } from './tmux-transport-options.js';

/** How long `up` watches a new pane for an agent that exits at once (ends early once its UI shows). */
export const START_WATCH_MS = 5000;
const START_WATCH_STEP_MS = 100;
// Reaping is quick on an idle machine but took over half a second on a loaded one, and more
// than 3 s (the earlier bound) in CI runs with both cores busy, which reported such an exit
// without its status. The wait only happens for a pane already dead, so waiting longer costs
// nothing otherwise.
const STATUS_WAIT_MS = 10_000;
const STATUS_STEP_MS = 50;
/** Last lines kept from a dead pane. */
const LAST_LINES = 5;

/** A pane whose program has exited. */
export interface PaneExit {
  /** Exit status, or null when a signal ended it. */
  status: number | null;
  signal: string | null;
  /** The last non-blank lines it printed (tmux's own "Pane is dead" line left out). */
  lastLines: string[];
}

/** The exit of a dead pane; null while it runs or once it is gone. */
export async function paneExit(server: TmuxServer, runner: TmuxRunner, paneId: string): Promise<PaneExit | null> {
  let status = '';
  let signal = '';
  // tmux marks the pane dead when its output ends and fills in the status once it has reaped
  // the process, a moment later.
  const deadline = Date.now() + STATUS_WAIT_MS;
  for (let attempt = 0; status === '' && signal === ''; attempt += 1) {
    if (attempt > 0) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, STATUS_STEP_MS));
    }
    const result = await runner.run([
      'display-message',
      '-p',
      '-t',
      paneId,
      '#{pane_id}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_dead_signal}',
    ]);
    const [id, dead, code = '', killedBy = ''] = result.stdout.replace(/\n$/, '').split('\t');
    if (result.code !== 0 || id !== paneId || dead !== '1') return null;
    [status, signal] = [code, killedBy];
  }
  const lines = await server.capture(paneId, 200).catch(() => [] as string[]);
  const printed = lines.filter((line) => line.trim() !== '' && !line.startsWith('Pane is dead'));
  return {
    status: status === '' ? null : Number(status),
    signal: signal === '' ? null : signal,
    lastLines: printed.slice(-LAST_LINES).map((line) => line.trimEnd()),
  };
}

/** One line for `list`, `up` and the log: `exited with status 42: No previous sessions found`. */
export function describeExit(exit: PaneExit): string {
  const how =
    exit.status !== null
      ? `exited with status ${exit.status}`
      : exit.signal !== null
        ? `was killed by signal ${exit.signal}`
        : 'exited';
  const last = exit.lastLines.at(-1);
  return last === undefined ? how : `${how}: ${last.trim()}`;
}

/** What to tell the person who ran `up` about an agent that exited. */
export function exitAdvice(resumed: boolean): string {
  return resumed
    ? 'its resume command failed; `agentmux up --fresh` starts a new conversation instead'
    : 'run the coder command by hand in the session directory to see why; `agentmux look` shows its last output';
}

/**
 * Watches a new pane until its UI shows (any verdict but not_ready), it exits, or the window
 * ends; returns the exit when it exited.
 */
export async function watchStart(
  deps: { server: TmuxServer; runner: TmuxRunner; observer: PaneObserver; clock: Clock },
  target: PaneTarget,
  windowMs = START_WATCH_MS,
): Promise<PaneExit | null> {
  const deadline = deps.clock.monotonic() + windowMs;
  for (;;) {
    const exit = await paneExit(deps.server, deps.runner, target.paneId).catch(() => null);
    if (exit !== null) return exit;
    const seen = await deps.observer.observe(target.paneId).catch(() => null);
    if (seen === null) return null; // gone (killed meanwhile), not an exit we can describe
    if (judge(target, { ...seen, quietFor: Number.POSITIVE_INFINITY }, { hooks: false }).state !== 'not_ready')
      return null;
    if (deps.clock.monotonic() >= deadline) return null;
    await new Promise<void>((resolve) => deps.clock.setTimeout(resolve, START_WATCH_STEP_MS));
  }
}

/** The fields that turn an `up` outcome into a failure explained by the agent's exit. */
export function failedOutcome(exit: PaneExit, resumed: boolean): Partial<SessionOutcome> {
  return {
    outcome: 'failed',
    reason: `${describeExit(exit)} — ${exitAdvice(resumed)}`,
    exit_status: exit.status,
    last_lines: exit.lastLines,
  };
}

/** Reports dead panes: state `failed` (`offline` after exit 0) with the exit as reason; logs each pane once. */
export class ExitReports {
  private readonly logged = new Set<string>();

  constructor(
    private readonly warn: (event: string, details: Record<string, unknown>) => void,
    private readonly onStatus: (session: string, status: PaneStatus) => void,
  ) {}

  report(session: string, paneId: string, exit: PaneExit): void {
    if (!this.logged.has(paneId)) {
      this.logged.add(paneId);
      this.warn('tmux.agent_exited', {
        session,
        pane: paneId,
        status: exit.status,
        signal: exit.signal,
        last_lines: exit.lastLines,
      });
    }
    const state = exit.status === 0 ? 'offline' : 'failed';
    this.onStatus(session, { state, reason: describeExit(exit), attached: false });
  }
}
