// Typing one message into one agent's pane: wait until the pane is ready (not in a mode,
// quiet, prompt showing, composer empty), paste it whole, wait the submit delay, press
// Enter, and prove the submission before calling it delivered.
import { sleep, type Clock } from '../../core/clock.js';
import type { DeliveryState } from '../../core/protocol/index.js';
import type { TmuxCoder } from '../../config/index.js';
import type { DeliveryOutcome } from '../deliverer.js';
import {
  collapsedPaste,
  type ReadinessDetector,
  type ScreenRules,
  type ScreenSnapshot,
  type ScreenVerdict,
} from '../readiness/index.js';
import type { PaneInjector } from './pane-injector.js';
import type { Observation, PaneObserver } from './pane-observer.js';
import type { TmuxServer } from './tmux-server.js';

/** How often a pane is looked at while a delivery waits for it. */
export const READY_POLL_MS = 100;
/** How long one Enter is given to show an effect before it is pressed again. */
export const CONFIRM_WINDOW_MS = 1500;
/**
 * Nothing is typed while a person attached to the pane pressed a key this recently: our paste
 * would land in the middle of their keystrokes. tmux keeps the time in whole seconds.
 */
export const HUMAN_INPUT_HOLD_MS = 3000;

/** What the agent's own hooks last said (busy/waiting block typing; Settled 21). */
export interface HookView {
  state: 'busy' | 'idle' | 'waiting_input' | 'offline';
  at: number;
}

/** Everything one delivery needs about its target. */
export interface PaneTarget {
  session: string;
  paneId: string;
  coder: TmuxCoder;
  rules: ScreenRules;
  detector: ReadinessDetector;
  /** The hook state that currently counts for this session, if the agent reports through hooks. */
  hook?: () => HookView | undefined;
  /** True once a hook reported a submitted prompt carrying this message's marker. */
  confirmedByHook?: (messageId: string) => boolean;
}

export interface PaneDeliveryDeps {
  server: TmuxServer;
  observer: PaneObserver;
  injector: PaneInjector;
  clock: Clock;
  /** Reports what the pane shows while we wait (drives the session's state). */
  report: (session: string, verdict: ScreenVerdict | 'gone') => void;
  /** Logs a tmux hiccup that was retried. */
  warn?: (event: string, details: Record<string, unknown>) => void;
  /**
   * Event-driven waiting (PaneActivity): `mark` before a look, then `wait` resolves when the
   * pane should be judged again (its output went quiet, a hook changed, or `wakeAt`).
   * Without it a waiting delivery looks every READY_POLL_MS.
   */
  changes?: {
    mark(target: PaneTarget): number;
    wait(target: PaneTarget, since: number, wakeAt: number | undefined, signal: AbortSignal): Promise<void>;
  };
}

/** The verdict for an observation: hooks first, then the screen rules and the quiet window. */
export function judge(target: PaneTarget, seen: Observation, options: { hooks?: boolean } = {}): ScreenVerdict {
  const verdict = target.detector.assess(
    { lines: seen.lines, cursorX: seen.info.cursorX, cursorY: seen.info.cursorY, inMode: seen.info.inMode },
    target.rules,
  );
  const hook = options.hooks === false ? undefined : target.hook?.();
  // A dialog on screen always counts; otherwise a busy or waiting hook outranks the screen.
  if (verdict.state !== 'waiting_input' && (hook?.state === 'busy' || hook?.state === 'waiting_input')) {
    return { state: hook.state, reason: `hook reported ${hook.state}` };
  }
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
  // Called off while the screen was read (the message was read elsewhere, or the relay stops).
  if (signal.aborted) return { state: 'queued', reason: 'interrupted' };

  progress('typing');
  if (target.detector.focusBeforeTyping === true) await deps.injector.focusIn(target.paneId);
  if (target.coder.paste) await deps.injector.paste(target.paneId, text, bufferId);
  else await deps.injector.typeLines(target.paneId, text, target.coder.newlineKeys);
  await sleep(target.coder.submitDelayMs);
  return submitTyped(deps, target, bufferId, progress, signal);
}

/**
 * Presses Enter on text already in the composer and proves the submission (also used after
 * a relay restart finds its own text still unsubmitted: Enter again, never a second paste).
 */
export async function submitTyped(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  bufferId: string,
  progress: (state: DeliveryState) => void,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  const attemptDeadline = deps.clock.monotonic() + target.coder.attemptTimeoutMs;
  for (let attempt = 0; attempt <= target.coder.submitRetries;) {
    const before = await lookAt(deps, target);
    if (before === null) return { state: 'failed', reason: 'pane_gone' };
    if (before === undefined) {
      // tmux hiccuped (not "no such pane"): look again within the attempt.
      if (deps.clock.monotonic() > attemptDeadline || signal.aborted) break;
      await sleep(READY_POLL_MS);
      continue;
    }
    const verdict = judge(target, { ...before, quietFor: Number.POSITIVE_INFINITY });
    if (verdict.state === 'waiting_input' || verdict.state === 'busy') {
      // Never press Enter into a dialog or a working agent (Settled 17): wait, within the attempt.
      if (deps.clock.monotonic() > attemptDeadline || signal.aborted) break;
      await sleep(READY_POLL_MS);
      continue;
    }
    attempt += 1;
    await deps.injector.pressKeys(target.paneId, ['Enter']);
    progress('submitted');
    if (await confirmed(deps, target, bufferId, before.lines.join('\n'), attemptDeadline, signal)) {
      return { state: 'delivered' };
    }
    if (deps.clock.monotonic() > attemptDeadline) break;
  }
  if (target.coder.clearKeys && target.coder.clearKeys.length > 0) {
    await deps.injector.pressKeys(target.paneId, target.coder.clearKeys).catch(() => undefined);
  }
  return { state: 'failed', reason: 'submit_unconfirmed' };
}

/** A draft verdict while a person attached to the pane typed within HUMAN_INPUT_HOLD_MS. */
async function humanTyping(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
): Promise<{ verdict: ScreenVerdict; holdLeftMs: number } | undefined> {
  const last = await deps.server.lastHumanInput(target.session).catch(() => undefined);
  if (last === undefined) return undefined;
  // tmux rounds down to the second: count the input as made at the end of that second.
  const since = deps.clock.now() - (last + 1000);
  if (since >= HUMAN_INPUT_HOLD_MS) return undefined;
  return {
    verdict: { state: 'draft', reason: 'a person attached to the pane is typing' },
    holdLeftMs: HUMAN_INPUT_HOLD_MS - since,
  };
}

/**
 * One look at the target's pane: null when tmux says it is gone, undefined when the look itself
 * failed (a closed control client, a timeout): such a hiccup never counts as a gone pane.
 */
export async function lookAt(deps: PaneDeliveryDeps, target: PaneTarget): Promise<Observation | null | undefined> {
  try {
    return await deps.observer.observe(target.paneId);
  } catch (error) {
    deps.warn?.('tmux.look_failed', {
      session: target.session,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
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
    let since = deps.changes?.mark(target) ?? 0;
    // When to look again regardless of output: a quiet window or a person's typing hold ending.
    let wakeAt: number | undefined;
    const seen = await lookAt(deps, target);
    if (seen === null) {
      deps.report(target.session, 'gone');
      return { state: 'failed', reason: 'pane_gone' };
    }
    if (seen === undefined) {
      // A failed look is not a gone pane: wait and look again.
      wakeAt = deps.clock.monotonic() + READY_POLL_MS;
    } else if (seen.info.inMode) {
      // Nobody is reading the scrollback: leave copy mode so the agent can be reached.
      // A person in copy mode is left alone; we wait for them.
      if ((await deps.server.humanClients(target.session)) === 0) {
        await deps.server.cancelCopyMode(target.paneId).catch(() => undefined);
      }
      wakeAt = deps.clock.monotonic() + READY_POLL_MS;
    } else {
      // The registry weighs hooks against the screen; report what the screen shows.
      deps.report(target.session, judge(target, seen, { hooks: false }));
      // Our own report may have changed the session's state: that is no news to wait for.
      since = deps.changes?.mark(target) ?? 0;
      const verdict = judge(target, seen);
      if (verdict.state === 'ready') {
        const typing = await humanTyping(deps, target);
        if (typing === undefined) return 'ready';
        deps.report(target.session, typing.verdict);
        wakeAt = deps.clock.monotonic() + typing.holdLeftMs;
      } else if (
        verdict.state === 'not_ready' &&
        judge(target, { ...seen, quietFor: Number.POSITIVE_INFINITY }).state === 'ready'
      ) {
        // Ready but for the quiet window: look again exactly when it ends (output re-arms it).
        wakeAt = seen.changedAt + target.coder.quietWindowMs;
      }
    }
    if (deps.clock.monotonic() > deadline) return { state: 'failed', reason: 'not_ready_timeout' };
    if (deps.changes) {
      // Never past the delivery timeout: it is judged on the next look.
      const until = Number.isFinite(deadline) ? Math.min(wakeAt ?? deadline, deadline + 1) : wakeAt;
      await deps.changes.wait(target, since, until, signal);
    } else await sleep(READY_POLL_MS, signal).catch(() => undefined);
  }
}

/**
 * Enter took effect. Best proof: the agent's hook reported a prompt with our marker. Else the
 * agent went busy, or (for coders with composer rules) the composer is empty again. Only a
 * coder without any composer rule falls back to "the screen changed": an Enter taken as a
 * newline also changes the screen, so that is the weakest proof. A composer still holding a
 * collapsed paste (`[Pasted Text: 6 lines]`) proves the opposite, whatever else the screen
 * shows (agents draw their composer under a busy line): only the hook outranks it.
 */
async function confirmed(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  messageId: string,
  before: string,
  attemptDeadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  const composerRules = target.rules.promptRegex !== undefined || target.rules.emptyComposerRegex !== undefined;
  const until = Math.min(attemptDeadline, deps.clock.monotonic() + CONFIRM_WINDOW_MS);
  while (deps.clock.monotonic() < until && !signal.aborted) {
    await sleep(50);
    if (target.confirmedByHook?.(messageId)) return true;
    const seen = await lookAt(deps, target);
    if (seen === null) return false;
    if (seen === undefined) continue;
    if (collapsedPaste(target.detector, snapshotOf(seen)) !== null) continue;
    const verdict = judge(target, { ...seen, quietFor: Number.POSITIVE_INFINITY });
    if (verdict.state === 'busy') {
      // The session's state shows the turn from its start, not from the next status look.
      deps.report(target.session, verdict);
      return true;
    }
    if (composerRules ? verdict.state === 'ready' : seen.lines.join('\n') !== before) return true;
  }
  return target.confirmedByHook?.(messageId) ?? false;
}

/** The observation as the detectors read a screen. */
export function snapshotOf(seen: Observation): ScreenSnapshot {
  return { lines: seen.lines, cursorX: seen.info.cursorX, cursorY: seen.info.cursorY, inMode: seen.info.inMode };
}
