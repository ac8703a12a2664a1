// Glue between the relay and its ACP transport: permission requests become notifications and
// log lines, ACP session ids live in the journal's session facts, and auto-replies are sent
// as the agent that answered.
import type { Clock } from '../core/clock.js';
import { rfc3339 } from '../core/clock.js';
import { AgentmuxError } from '../core/errors.js';
import type { PermissionDeskOptions } from '../transports/acp/permission-desk.js';
import type { JournalBatcher } from './journal/batch-writer.js';
import type { Journal } from './journal/journal.js';
import type { RelayLog } from './log.js';
import type { Notifier } from './notifier.js';
import type { Principal } from './policy.js';
import type { SessionRegistry } from './session-registry.js';

/** Publishes `permission.requested` / `permission.resolved` to event subscribers and logs both. */
export function relayPermissionEvents(
  notifier: Notifier,
  log: RelayLog,
): Pick<PermissionDeskOptions, 'onRequested' | 'onResolved'> {
  return {
    onRequested: (request) => {
      notifier.publish('permission.requested', { ...request }, { kind: 'events' });
      log.info('acp.permission_requested', { id: request.id, session: request.session, title: request.title });
    },
    onResolved: (resolution) => {
      notifier.publish('permission.resolved', { ...resolution }, { kind: 'events' });
      log.info('acp.permission_resolved', {
        id: resolution.id,
        session: resolution.session,
        option: resolution.option,
        by: resolution.decided_by,
      });
    },
  };
}

/** ACP session ids per agentmux session, kept as the session's conversation id in the journal. */
export function sessionIdStore(
  journal: Journal,
  batcher: JournalBatcher,
  clock: Clock,
  log: RelayLog,
): { get(session: string): string | undefined; set(session: string, id: string): void } {
  return {
    get: (session) => journal.conversationId(session),
    set: (session, id) => {
      if (journal.conversationId(session) === id) return;
      batcher
        .write(() => journal.setConversationId(session, id, rfc3339(clock.now())))
        .catch((error: unknown) => log.warn('acp.session_id_not_saved', { session, error: String(error) }));
    },
  };
}

/** The principal a member acts as when the relay sends for it (an ACP agent's auto-reply). */
export function memberPrincipal(registry: SessionRegistry, session: string): Principal {
  const member = registry.member(session);
  if (!member) {
    throw new AgentmuxError('validation_unknown_session', `session ${session} is not a member of the bundle`, {
      details: { session },
    });
  }
  return { session, role: member.role, member };
}
