// Runs git as a child process (never a shell): the one place workspace code talks to git.
import { execFile } from 'node:child_process';

import { AgentmuxError } from '../core/errors.js';

/** What one git invocation printed and how it exited. */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Bound on one git command; a hung git (a lock, a prompt) must not hang `up`. */
export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

/** Runs `git -C cwd …args`; resolves with any exit code (callers decide what a failure means). */
export function gitTry(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      ['-C', cwd, ...args],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: DEFAULT_GIT_TIMEOUT_MS,
        // Never open an editor or ask for credentials: we run unattended.
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(
            new AgentmuxError('runtime_git_failed', `cannot run git: ${error.message}`, {
              details: { cwd, args: [...args] },
              cause: error,
            }),
          );
          return;
        }
        resolvePromise({ stdout, stderr, code: error ? Number(error.code) : 0 });
      },
    );
  });
}

/** Runs git and returns its stdout; a non-zero exit is `runtime_git_failed` with git's stderr. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await gitTry(cwd, args);
  if (result.code !== 0) {
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
    throw new AgentmuxError('runtime_git_failed', `git ${args.join(' ')} failed: ${tail}`, {
      details: { cwd, args: [...args], exit_code: result.code, stderr: tail },
    });
  }
  return result.stdout;
}

/** Non-empty lines of a git listing. */
export function gitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
