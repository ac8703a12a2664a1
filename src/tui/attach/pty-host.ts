// What the attach client runs on: node-pty (loaded on first use, so no other command pays for
// it) and one-shot tmux commands on the bundle's server.
import { execFile } from 'node:child_process';
import type { IPty } from 'node-pty';
import type { PtyHost, TmuxRun } from './attach-client.js';

/** The client's tty (node-pty's UnixTerminal has it as an untyped getter); '' if unknown. */
export function ptsName(pty: IPty): string {
  const name = (pty as unknown as { ptsName?: unknown }).ptsName;
  return typeof name === 'string' ? name : '';
}

/** node-pty, imported now. */
export async function loadNodePty(): Promise<PtyHost> {
  const module = await import('node-pty');
  return { spawn: (file, args, options) => module.spawn(file, args, options) };
}

/** Runs `tmux -S socketPath …` and resolves with its exit code. */
export function spawnTmux(command: string, socketPath: string): TmuxRun {
  return (args) =>
    new Promise((resolve) => {
      execFile(command, ['-S', socketPath, ...args], { timeout: 5000 }, (error) => {
        resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0);
      });
    });
}
