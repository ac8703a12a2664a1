// Typing one message into one agent's pane: wait until the pane is ready (not in a mode,
// quiet, prompt showing, composer empty), paste it whole, wait the submit delay, press
// Enter, and prove the submission before calling it delivered.
import { sleep, type Clock } from '../../core/clock.js';
import type { DeliveryState } from '../../core/protocol/index.js';
import type { TmuxCoder } from '../../config/index.js';
import type { DeliveryOutcome } from '../deliverer.js';
import type { ReadinessDetector, ScreenRules, ScreenVerdict } from '../readiness/index.js';
import type { PaneInjector } from './pane-injector.js';
import type { Observation, PaneObserver } from './pane-observer.js';
import type { TmuxServer } from './tmux-server.js';

/** How often a pane is looked at while a delivery waits for it. */
export const READY_POLL_MS = 100;
/** How long one Enter is given to show an effect before it is pressed again. */
export const CONFIRM_WINDOW_MS = 1500;

/** Everything one delivery needs about its target. */
export interface PaneTarget {
  session: string;
  paneId: string;
  coder: TmuxCoder;
  rules: ScreenRules;
  detector: ReadinessDetector;
}

export interface PaneDeliveryDeps {
  server: TmuxServer;
  observer: PaneObserver;
  injector: PaneInjector;
  clock: Clock;
  /** Reports what the pane shows while we wait (drives the session's state). */
  report: (session: string, verdict: ScreenVerdict | 'gone') => void;
}

/** The verdict for an observation, including the quiet-window rule. */
export function judge(target: PaneTarget, seen: Observation): ScreenVerdict {
  const verdict = target.detector.assess(
    { lines: seen.lines, cursorX: seen.info.cursorX, cursorY: seen.info.cursorY, inMode: seen.info.inMode },
    target.rules,
  );
  if (verdict.state === 'ready' && seen.quietFor < target.coder.quietWindowMs) {
    return { state: 'not_ready', reason: `output not quiet for ${target.coder.quietWindowMs} ms` };
  }
  return verdict;
}

/** Delivers `text` (an envelope) with id `bufferId`; never pastes twice. */
export async function deliverToPane(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  text: string,
  bufferId: string,
  progress: (state: DeliveryState) => void,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  const ready = await waitUntilReady(deps, target, signal);
  if (ready !== 'ready') return ready;

  progress('typing');
  const attemptDeadline = deps.clock.monotonic() + target.coder.attemptTimeoutMs;
  if (target.coder.paste) await deps.injector.paste(target.paneId, text, bufferId);
  else await deps.injector.typeLiteral(target.paneId, text);
  await sleep(target.coder.submitDelayMs);

  for (let attempt = 0; attempt <= target.coder.submitRetries; attempt += 1) {
    const before = await deps.observer.observe(target.paneId);
    if (!before) return { state: 'failed', reason: 'pane_gone' };
    const verdict = judge(target, { ...before, quietFor: Number.POSITIVE_INFINITY });
    if (verdict.state === 'waiting_input') break; // never press Enter into a dialog
    await deps.injector.pressKeys(target.paneId, ['Enter']);
    progress('submitted');
    if (await confirmed(deps, target, before.lines.join('\n'), attemptDeadline, signal)) return { state: 'delivered' };
    if (deps.clock.monotonic() > attemptDeadline) break;
  }
  if (target.coder.clearKeys && target.coder.clearKeys.length > 0) {
    await deps.injector.pressKeys(target.paneId, target.coder.clearKeys).catch(() => undefined);
  }
  return { state: 'failed', reason: 'submit_unconfirmed' };
}

async function waitUntilReady(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  signal: AbortSignal,
): Promise<'ready' | DeliveryOutcome> {
  const deadline =
    target.coder.deliveryTimeoutMs === undefined
      ? Number.POSITIVE_INFINITY
      : deps.clock.monotonic() + target.coder.deliveryTimeoutMs;
  for (;;) {
    if (signal.aborted) return { state: 'queued', reason: 'interrupted' };
    const seen = await deps.observer.observe(target.paneId);
    if (!seen) {
      deps.report(target.session, 'gone');
      return { state: 'failed', reason: 'pane_gone' };
    }
    if (seen.info.inMode) {
      // Nobody is reading the scrollback: leave copy mode so the agent can be reached.
      // A person in copy mode is left alone; we wait for them.
      if ((await deps.server.humanClients(target.session)) === 0) {
        await deps.server.cancelCopyMode(target.paneId).catch(() => undefined);
      }
    } else {
      const verdict = judge(target, seen);
      deps.report(target.session, verdict);
      if (verdict.state === 'ready') return 'ready';
    }
    if (deps.clock.monotonic() > deadline) return { state: 'failed', reason: 'not_ready_timeout' };
    await sleep(READY_POLL_MS, signal).catch(() => undefined);
  }
}

/** Enter took effect: the agent went busy, or the screen changed from what it was before. */
async function confirmed(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  before: string,
  attemptDeadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  const until = Math.min(attemptDeadline, deps.clock.monotonic() + CONFIRM_WINDOW_MS);
  while (deps.clock.monotonic() < until && !signal.aborted) {
    await sleep(50);
    const seen = await deps.observer.observe(target.paneId);
    if (!seen) return false;
    const verdict = judge(target, { ...seen, quietFor: Number.POSITIVE_INFINITY });
    if (verdict.state === 'busy') return true;
    if (seen.lines.join('\n') !== before) return true;
  }
  return false;
}
