// The one-line status shown in status bars, `agentmux status` and the status file.
import type { StatusSnapshot } from './protocol/index.js';
import { stateWords } from './session-words.js';

/** Each session with its state, queue and unread mail, e.g. `demo: alice ready · bob busy (2 queued)`. */
export function formatStatusLine(status: StatusSnapshot): string {
  if (status.relay.state === 'down') return `${status.bundle}: relay down`;
  const parts = status.sessions.map((s) => {
    const state = stateWords(s, 'needs you');
    const extras = [s.queued > 0 ? `${s.queued} queued` : '', s.unread > 0 ? `${s.unread} unread` : '']
      .filter(Boolean)
      .join(', ');
    return extras ? `${s.id} ${state} (${extras})` : `${s.id} ${state}`;
  });
  return `${status.bundle}: ${parts.join(' · ')}`;
}
