// Public surface of src/tui: the CLI loads this module with `await import()` only for `tui`.
// It holds no ink or react: those load (run-tui.ts) while the relay link fetches the roster.
export { runTui } from './start-tui.js';
export type { TuiOptions } from './start-tui.js';
export type { AgentChangeSummary, AgentManager } from './agent-manager.js';
