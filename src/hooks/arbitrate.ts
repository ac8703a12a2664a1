// Hooks first, screen second: which source decides a session's visible state when an agent
// reports through hooks and a transport observes it too (DESIGN.md "Agent state from hooks
// first"; Settled detail 21). Pure, so the rules are tested row by row.
import type { HookState, SessionState, StateSource } from '../core/protocol/index.js';

/** The last state an agent's hooks reported. */
export interface HookRecord {
  state: HookState;
  /** The client's event name. */
  event: string;
  /** Epoch milliseconds when the relay received it. */
  at: number;
  /** The submitted prompt, for busy-from-prompt events. */
  prompt?: string;
}

/** A state observed by something other than a hook (screen, connection, ACP). */
export interface Observation {
  state: SessionState;
  source: StateSource;
}

/**
 * What to do with an observation while a hook record exists:
 * - `observe`: show the observed state, keep the hook record;
 * - `observe-and-forget`: show the observed state and drop the hook record;
 * - `keep-hook`: keep showing the hook's state.
 * `idleSince` is when the screen started looking idle under a busy/waiting hook (carried
 * between calls; undefined resets it).
 */
export interface Verdict {
  decision: 'observe' | 'observe-and-forget' | 'keep-hook';
  idleSince: number | undefined;
}

const LIFECYCLE: ReadonlySet<SessionState> = new Set(['offline', 'starting', 'failed']);

/** Decides between the hook record and a new observation. */
export function arbitrate(input: {
  hook: HookRecord;
  observed: Observation;
  idleSince: number | undefined;
  now: number;
  staleMs: number;
}): Verdict {
  const { hook, observed, now, staleMs } = input;
  // The agent said it ended: whatever runs there now is news.
  if (hook.state === 'offline') return { decision: 'observe-and-forget', idleSince: undefined };
  // Connections (including the hook's own short one) say nothing about what the agent does.
  if (observed.source === 'socket') return { decision: 'keep-hook', idleSince: input.idleSince };
  // The process went away, is starting again, or failed: hooks of the old one are void.
  if (LIFECYCLE.has(observed.state)) return { decision: 'observe-and-forget', idleSince: undefined };
  // A dialog on screen needs the operator whatever the hooks said (Claude's Notification
  // arrives seconds after its dialog; an approval can be pending after PreToolUse).
  if (observed.state === 'waiting_input') return { decision: 'observe', idleSince: undefined };
  if (observed.state === 'idle' && (hook.state === 'busy' || hook.state === 'waiting_input')) {
    // Esc-cancel sends no Stop: after hook-stale-ms of idle screen the screen wins.
    const since = input.idleSince ?? now;
    if (now - since >= staleMs) return { decision: 'observe-and-forget', idleSince: undefined };
    return { decision: 'keep-hook', idleSince: since };
  }
  return { decision: 'keep-hook', idleSince: undefined };
}
