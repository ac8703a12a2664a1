// Public surface of src/tui/attach: the CLI loads it with `await import()` for `attach`.
export { attachSession } from './attach-client.js';
export type { AttachOptions, AttachOutcome, AttachResult, PtyHost, PtySpawnOptions, TmuxRun } from './attach-client.js';
export { findDetachKey, parseDetachKey, unfinishedCsiAt } from './detach-key.js';
export type { DetachKey, DetachKeyMatch } from './detach-key.js';
export { TERMINAL_RESET } from './terminal-modes.js';
export { createDashboardAttach, returnNotice } from './dashboard-attach.js';
export type { DashboardAttach, DashboardAttachOptions } from './dashboard-attach.js';
export { createOutputGate } from './output-gate.js';
export type { OutputGate } from './output-gate.js';
