// The only place that writes to the terminal: every command returns data, and this module
// renders it as text for people or as JSON for scripts.
import { exitCodeFor, type AgentmuxError } from '../../core/errors.js';

/** Writes one line to stdout. */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one line to stderr. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints `value` as pretty JSON, or through `text` for people. */
export function emit<T>(json: boolean, value: T, text: (value: T) => string[]): void {
  if (json) {
    out(JSON.stringify(value, null, 2));
    return;
  }
  for (const line of text(value)) out(line);
}

/** Prints one compact JSON line (streams such as `watch --json`). */
export function emitLine(value: unknown): void {
  out(JSON.stringify(value));
}

/** Reports a failure as `agentmux: <code>: <message>` plus the hint; returns the exit code. */
export function reportError(error: AgentmuxError, json: boolean): number {
  if (json) {
    process.stderr.write(
      `${JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint, ...(error.details ? { details: error.details } : {}) } })}\n`,
    );
  } else {
    note(`agentmux: ${error.code}: ${error.message}`);
    if (error.hint) note(`  hint: ${error.hint}`);
  }
  return exitCodeFor(error);
}
