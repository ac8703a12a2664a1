// Public surface of src/tui: the CLI loads this module with `await import()` only for `tui`.
export { runTui } from './run-tui.js';
export type { TuiOptions } from './run-tui.js';
export type { AgentChangeSummary, AgentManager } from './agent-manager.js';
