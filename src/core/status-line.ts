// The one-line status shown in status bars, `agentmux status` and the status file.
import type { StatusSnapshot } from './protocol/index.js';
import { stateWords } from './session-words.js';

/**
 * Each session with its state, queue and unread mail, e.g. `demo: alice ready · bob busy (2 queued)`;
 * a session on another host reads `carol@build idle`, or `carol@build host offline`.
 */
export function formatStatusLine(status: StatusSnapshot): string {
  if (status.relay.state === 'down') return `${status.bundle}: relay down`;
  const parts = status.sessions.map((s) => {
    // A session on another host: `alice@build`, and `host offline` when its relay is not heard from.
    const id = s.host === undefined ? s.id : `${s.id}@${s.host}`;
    const state = s.host !== undefined && s.reachable === false ? 'host offline' : stateWords(s, 'needs you');
    const extras = [s.queued > 0 ? `${s.queued} queued` : '', s.unread > 0 ? `${s.unread} unread` : '']
      .filter(Boolean)
      .join(', ');
    return extras ? `${id} ${state} (${extras})` : `${id} ${state}`;
  });
  return `${status.bundle}: ${parts.join(' · ')}`;
}
