// The one shape of a failed tmux command (`runtime_tmux_failed`): which command, how long it
// ran, and why it failed, so a log line or a `--json` error says whether tmux refused, hung,
// was killed, could not be started, or lost its control client.
import { AgentmuxError } from '../../core/errors.js';
import type { TmuxResult } from './runner.js';

/** Why a tmux command failed. */
export type TmuxFailureCause =
  /** tmux answered with an error (its exit status and stderr). */
  | { kind: 'exit'; code: number; stderr: string }
  /** No answer within the command's deadline (the client was killed, or the control client closed). */
  | { kind: 'timeout'; timeout_ms: number }
  /** The tmux client was ended by a signal we did not send. */
  | { kind: 'signal'; signal: string; stderr: string }
  /** The tmux program could not be run, or its output broke a limit. */
  | { kind: 'spawn'; error: string }
  /** The control client ended before answering (how its process ended, when it did). */
  | { kind: 'closed'; reason: string; code: number | null; signal: string | null; stderr: string }
  /** The command was refused before it reached tmux. */
  | { kind: 'invalid'; reason: string }
  /** tmux reported success but did not print what the command must print. */
  | { kind: 'output'; reason: string };

/** What `runtime_tmux_failed` carries in its details. */
export interface TmuxFailureDetails {
  /** The tmux command and its arguments (without the client's own `-u -S …` flags). */
  command: string[];
  /** How long the command ran before it failed; null when the runner did not measure it. */
  duration_ms: number | null;
  cause: TmuxFailureCause;
  [extra: string]: unknown;
}

/** Kept of a tmux stderr in an error: the end, where tmux puts its reason. */
export const STDERR_TAIL_CHARS = 512;

/** The last STDERR_TAIL_CHARS of `stderr`, trimmed. */
export function stderrTail(stderr: string): string {
  return stderr.trim().slice(-STDERR_TAIL_CHARS);
}

/** Milliseconds since `started` (a `performance.now()` reading), rounded. */
export function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

/** ` after N ms` for messages, or nothing when the duration is unknown. */
function after(durationMs: number | null): string {
  return durationMs === null ? '' : ` after ${durationMs} ms`;
}

/** A `runtime_tmux_failed` error with the command, its duration and the cause in its details. */
export function tmuxFailure(
  message: string,
  failure: {
    args: readonly string[];
    durationMs: number | null;
    cause: TmuxFailureCause;
    extra?: Record<string, unknown>;
    /** The underlying exception, kept as the error's `cause`. */
    error?: unknown;
  },
): AgentmuxError {
  const details: TmuxFailureDetails = {
    command: [...failure.args],
    duration_ms: failure.durationMs,
    cause: failure.cause,
    ...failure.extra,
  };
  return new AgentmuxError('runtime_tmux_failed', message, {
    details,
    ...(failure.error === undefined ? {} : { cause: failure.error }),
  });
}

/** The error for a tmux command that answered with a non-zero status. */
export function tmuxCommandError(args: readonly string[], result: TmuxResult): AgentmuxError {
  const stderr = stderrTail(result.stderr);
  const durationMs = result.durationMs ?? null;
  return tmuxFailure(
    `tmux ${args[0] ?? ''} failed${after(durationMs)}: ${stderr === '' ? `exit code ${result.code}` : stderr}`,
    { args, durationMs, cause: { kind: 'exit', code: result.code, stderr } },
  );
}

/** The error for a command the control client could not answer because it ended. */
export function tmuxClosedError(
  args: readonly string[],
  durationMs: number | null,
  ended: { reason: string; code?: number | null; signal?: string | null; stderr?: string },
): AgentmuxError {
  return tmuxFailure(`tmux ${args[0] ?? ''} was not answered${after(durationMs)}: ${ended.reason}`, {
    args,
    durationMs,
    cause: {
      kind: 'closed',
      reason: ended.reason,
      code: ended.code ?? null,
      signal: ended.signal ?? null,
      stderr: stderrTail(ended.stderr ?? ''),
    },
  });
}
