// A failed tmux command says which command, how long it ran and why, under the stable
// `runtime_tmux_failed` code with the catalogue's hint.
import { describe, expect, it } from 'vitest';
import { AgentmuxError, ERROR_CATALOGUE, toAgentmuxError } from '../../../src/core/errors.js';
import { tmuxCommandError } from '../../../src/transports/tmux/runner.js';
import { STDERR_TAIL_CHARS, tmuxClosedError, tmuxFailure } from '../../../src/transports/tmux/tmux-errors.js';

describe('tmux errors', () => {
  it('a command tmux refused carries the command, its duration and the exit status with stderr', () => {
    const error = tmuxCommandError(['has-session', '-t', '=x'], {
      stdout: '',
      stderr: "can't find session: x\n",
      code: 1,
      durationMs: 7,
    });
    expect(error).toBeInstanceOf(AgentmuxError);
    expect(error.code).toBe('runtime_tmux_failed');
    expect(error.hint).toBe(ERROR_CATALOGUE.runtime_tmux_failed);
    expect(error.message).toBe("tmux has-session failed after 7 ms: can't find session: x");
    expect(error.details).toEqual({
      command: ['has-session', '-t', '=x'],
      duration_ms: 7,
      cause: { kind: 'exit', code: 1, stderr: "can't find session: x" },
    });
    // The structured error survives the generic wrapping every surface applies.
    expect(toAgentmuxError(error)).toBe(error);
  });

  it('says the duration is unknown when the runner did not measure it, and keeps only the end of stderr', () => {
    const error = tmuxCommandError(['kill-server'], { stdout: '', stderr: `${'x'.repeat(2000)}END`, code: 2 });
    expect(error.message.startsWith('tmux kill-server failed: x')).toBe(true);
    const details = error.details as { duration_ms: unknown; cause: { stderr: string } };
    expect(details.duration_ms).toBeNull();
    expect(details.cause.stderr).toHaveLength(STDERR_TAIL_CHARS);
    expect(details.cause.stderr.endsWith('END')).toBe(true);
    // No stderr at all: the exit status is the reason.
    expect(tmuxCommandError(['kill-server'], { stdout: '', stderr: '', code: 3 }).message).toBe(
      'tmux kill-server failed: exit code 3',
    );
  });

  it('a command lost with its control client carries how the client process ended', () => {
    const error = tmuxClosedError(['paste-buffer', '-t', '%1'], 12, {
      reason: 'tmux control client exited (code 1): lost server',
      code: 1,
      signal: null,
      stderr: 'lost server\n',
    });
    expect(error.code).toBe('runtime_tmux_failed');
    expect(error.message).toBe(
      'tmux paste-buffer was not answered after 12 ms: tmux control client exited (code 1): lost server',
    );
    expect(error.details).toEqual({
      command: ['paste-buffer', '-t', '%1'],
      duration_ms: 12,
      cause: {
        kind: 'closed',
        reason: 'tmux control client exited (code 1): lost server',
        code: 1,
        signal: null,
        stderr: 'lost server',
      },
    });
  });

  it('keeps the underlying exception as the cause and extra context beside the three fields', () => {
    const spawnError = Object.assign(new Error('spawn tmux ENOENT'), { code: 'ENOENT' });
    const error = tmuxFailure('could not run tmux list-sessions: spawn tmux ENOENT', {
      args: ['list-sessions'],
      durationMs: 3,
      cause: { kind: 'spawn', error: spawnError.message },
      extra: { binary: 'tmux' },
      error: spawnError,
    });
    expect(error.cause).toBe(spawnError);
    expect(error.details).toEqual({
      command: ['list-sessions'],
      duration_ms: 3,
      cause: { kind: 'spawn', error: 'spawn tmux ENOENT' },
      binary: 'tmux',
    });
    // Details cross the wire as JSON: nothing in them may be lost there.
    expect(JSON.parse(JSON.stringify(error.details))).toEqual(error.details);
  });
});
