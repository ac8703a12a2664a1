// How a worker's phase reads from the outside: the session state `list` shows, and one line
// per finished turn for the transcript.
import type { SessionState } from '../../core/protocol/index.js';
import type { TurnEnd } from './prompt-turn.js';

/** Where a worker is. `failed` with a pending restart still counts as running. */
export type WorkerPhase = 'stopped' | 'starting' | 'ready' | 'busy' | 'failed';

/** The session state for a phase; a busy worker whose agent waits for a permission needs an operator. */
export function sessionStateOf(phase: WorkerPhase, waitingPermissions: number): SessionState {
  switch (phase) {
    case 'stopped':
      return 'offline';
    case 'ready':
      return 'idle';
    case 'busy':
      return waitingPermissions > 0 ? 'waiting_input' : 'busy';
    case 'starting':
    case 'failed':
      return phase;
    default: {
      const unreachable: never = phase;
      return unreachable;
    }
  }
}

/** A short description of how a turn ended. */
export function describeTurnEnd(end: TurnEnd): string {
  switch (end.kind) {
    case 'stopped':
      return end.stopReason;
    case 'error':
      return `error: ${end.message}`;
    case 'timeout':
      return end.settled ? 'timed out, cancelled' : 'timed out, cancel ignored';
    case 'aborted':
      return 'relay stopping';
    default: {
      const unreachable: never = end;
      return String(unreachable);
    }
  }
}
