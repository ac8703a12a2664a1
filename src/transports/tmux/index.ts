// Public surface of the tmux transport building blocks.
export {
  DEFAULT_TMUX_TIMEOUT_MS,
  SpawnTmuxRunner,
  runTmuxChecked,
  tmuxBinary,
  tmuxClientEnv,
  tmuxCommandError,
} from './runner.js';
export type { SpawnTmuxRunnerOptions, TmuxResult, TmuxRunOptions, TmuxRunner } from './runner.js';
export { TmuxControlClient, createTmuxRunner } from './control-client.js';
export type { TmuxControlClientOptions } from './control-client.js';
export { FallbackTmuxRunner } from './fallback-runner.js';
export type { ClosableTmuxRunner } from './fallback-runner.js';
export { ControlModeParser, decodeOctal } from './control-parser.js';
export type { ControlBlock, ControlParserHandlers } from './control-parser.js';
export { escapeArgvArgument, formatControlCommand, quoteControlArgument } from './quote.js';
export { TmuxServer } from './tmux-server.js';
export type { PaneInfo, SessionListing, TmuxServerOptions } from './tmux-server.js';
export { newSessionArgs } from './session-args.js';
export type { NewSessionSpec } from './session-args.js';
export { checkPaneId, checkSessionId, isGone } from './tmux-targets.js';
export { STATUS_OPTION, renderTmuxConf } from './tmux-conf.js';
export type { TmuxConfOptions } from './tmux-conf.js';
export { PaneInjector } from './pane-injector.js';
export type { PaneInjectorOptions } from './pane-injector.js';
export { LITERAL_CHUNK_BYTES, splitUtf8 } from './utf8-chunks.js';
