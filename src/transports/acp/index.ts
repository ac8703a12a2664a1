// Public surface of the ACP transport.
export { AcpTransport, DELIVERED_STOP_REASONS, STOP_GRACE_MS, UP_WAIT_MS } from './acp-transport.js';
export type { AcpTransportOptions } from './acp-transport.js';
export { AcpWorker, BACKOFF_RESET_MS, RESTART_BACKOFF, SESSION_OPEN_TIMEOUT_MS } from './acp-worker.js';
export type { AcpWorkerOptions, TurnReport, WorkerLaunch } from './acp-worker.js';
export { MAX_ACP_FRAME_BYTES, MAX_STDERR_LINE_CHARS, launchAcpPeer } from './acp-peer.js';
export type { AcpPeer, LaunchPeer, PeerHandlers, PeerSpec } from './acp-peer.js';
export {
  AUTO_REPLY_PREFIX,
  FINAL_AUTO_REPLY_PREFIX,
  NOT_PROMPTED_REASON,
  autoReplyFor,
  isAutoReply,
  mayPrompt,
} from './auto-reply.js';
export type { AutoReply } from './auto-reply.js';
export { parseAgentCommand } from './command-line.js';
export { PermissionDesk, allowOption, rejectOption } from './permission-desk.js';
export type { PermissionAsk, PermissionDeskOptions } from './permission-desk.js';
export { MAX_CANCEL_GRACE_MS, PromptTurn } from './prompt-turn.js';
export type { PromptTurnOptions, TurnEnd } from './prompt-turn.js';
export { openSession, withDeadline } from './session-open.js';
export type { SessionChoice } from './session-open.js';
export { STDERR_LOG_LINES, StderrTap } from './stderr-tap.js';
export { TRANSCRIPT_MAX_ENTRIES, TRANSCRIPT_MAX_ENTRY_CHARS, Transcript, contentText } from './transcript.js';
export { workerEnvironment } from './worker-env.js';
export type { WorkerIdentity } from './worker-env.js';
export { describeTurnEnd, sessionStateOf } from './worker-state.js';
export type { WorkerPhase } from './worker-state.js';
export { SerialQueue, Waiters } from './worker-sync.js';
