// `session.report`: an agent's own hooks say what it is doing (busy, idle, waiting_input,
// offline) and which conversation it is in. Identity is the connection's hello, so a session
// can only ever report for itself.
import { rfc3339 } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import type { SessionReportParams, SessionReportResult } from '../../core/protocol/index.js';
import type { Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What `session.report` uses. */
export type SessionReportDeps = Pick<RelayCore, 'registry' | 'journal' | 'clock' | 'log'>;

/** Records the hook state in the registry and a new conversation id in the journal. */
export function handleSessionReport(
  core: SessionReportDeps,
  principal: Principal,
  params: SessionReportParams,
): SessionReportResult {
  const session = principal.session;
  if (session === null) {
    throw new AgentmuxError('authorization_forbidden', 'observers have no session to report for', {
      details: { capability: 'session.report' },
    });
  }
  core.registry.reportHook(session, {
    event: params.event,
    ...(params.state === undefined ? {} : { state: params.state }),
    ...(params.prompt === undefined ? {} : { prompt: params.prompt }),
  });
  const conversation = params.conversation_id;
  // Hooks fire on every tool use: write only when the conversation changed.
  if (conversation !== undefined && core.journal.conversationId(session) !== conversation) {
    try {
      core.journal.setConversationId(session, conversation, rfc3339(core.clock.now()));
      core.log.info('session.conversation', { session, conversation_id: conversation, event: params.event });
    } catch (error) {
      core.log.warn('session.conversation_failed', {
        session,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const status = core.registry.statusOf(session);
  return { session, state: status.state, state_source: status.source };
}
