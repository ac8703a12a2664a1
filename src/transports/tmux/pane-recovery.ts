// Settling a delivery whose typing was interrupted (a relay restart, or a tmux command that
// failed after the paste may have run): the text is never typed again. Either it is on the pane
// and gets its Enter, or the agent moved past it, or it never arrived and the delivery fails.
import { sleep } from '../../core/clock.js';
import { sanitizePaneText } from '../../core/sanitize.js';
import type { DeliveryOutcome } from '../deliverer.js';
import { collapsedPaste, placeholderFits } from '../readiness/index.js';
import {
  CONFIRM_WINDOW_MS,
  judge,
  lookAt,
  READY_POLL_MS,
  snapshotOf,
  submitTyped,
  type PaneDeliveryDeps,
  type PaneTarget,
} from './pane-delivery.js';
import { isPaneGone } from './pane-observer.js';

/** Scrollback rows searched for our own text. */
const RECOVERY_SCROLLBACK = 5000;

/**
 * Looks for `marker` (this delivery's fence, or the prefix of every delivery of the message)
 * on the pane for up to CONFIRM_WINDOW_MS (a paste that just ran may not be drawn yet). Not
 * there: failed, unless the composer holds a collapsed paste of `typed`'s size (`[Pasted Text:
 * 6 lines]` hides the fence). Still in the composer (a collapsed paste, or neither ready nor
 * busy): Enter is pressed and confirmed as in a delivery. Otherwise the agent moved past it:
 * delivered.
 */
export async function recoverDelivery(
  deps: PaneDeliveryDeps,
  target: PaneTarget,
  marker: string,
  proofId: string,
  typed?: string,
): Promise<DeliveryOutcome> {
  const shown = await showsText(deps, target.paneId, marker);
  const seen = await lookAt(deps, target);
  if (seen === null) return { state: 'failed', reason: 'pane_gone' };
  if (seen === undefined) return { state: 'failed', reason: 'interrupted' };
  const placeholder = collapsedPaste(target.detector, snapshotOf(seen));
  const ours = placeholder !== null && typed !== undefined && placeholderFits(placeholder, sanitizePaneText(typed));
  if (!shown && !ours) return { state: 'failed', reason: 'interrupted' };
  const verdict = judge(target, { ...seen, quietFor: Number.POSITIVE_INFINITY });
  if (!ours && (verdict.state === 'ready' || verdict.state === 'busy')) return { state: 'delivered' };
  return submitTyped(deps, target, proofId, () => undefined, new AbortController().signal);
}

async function showsText(deps: PaneDeliveryDeps, paneId: string, marker: string): Promise<boolean> {
  const until = deps.clock.monotonic() + CONFIRM_WINDOW_MS;
  for (;;) {
    try {
      const lines = await deps.server.capture(paneId, RECOVERY_SCROLLBACK);
      if (lines.some((line) => line.includes(marker))) return true;
    } catch (error) {
      if (isPaneGone(error)) return false;
      // A tmux hiccup: the runner falls back to spawned clients; look again.
    }
    if (deps.clock.monotonic() > until) return false;
    await sleep(READY_POLL_MS);
  }
}
