// Opening the ACP session of a freshly started agent: `initialize`, then `session/load` of the
// configured or recorded session when the agent can load sessions, else `session/new`.
import type { Clock } from '../../core/clock.js';
import type { AcpPeer } from './acp-peer.js';

/** What the worker knows when it opens a session. */
export interface SessionChoice {
  cwd: string;
  /** The session to resume (`coder-session-id`, else the recorded one); undefined for a new one. */
  wanted: string | undefined;
  /** A resume that failed or is impossible (the agent starts a new session instead). */
  onResumeFailed: (sessionId: string, reason: string) => void;
}

/** Initializes the agent and returns the ACP session id it now works in. */
export async function openSession(peer: AcpPeer, choice: SessionChoice): Promise<string> {
  const init = await peer.initialize();
  if (choice.wanted !== undefined) {
    if (init.agentCapabilities?.loadSession !== true) {
      choice.onResumeFailed(choice.wanted, 'the agent does not support session/load');
    } else {
      try {
        await peer.loadSession(choice.wanted, choice.cwd);
        return choice.wanted;
      } catch (error) {
        choice.onResumeFailed(choice.wanted, error instanceof Error ? error.message : String(error));
      }
    }
  }
  return peer.newSession(choice.cwd);
}

/** `work`, or a rejection naming `what` once `ms` have passed. */
export function withDeadline<T>(clock: Clock, work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => timer?.cancel());
}
