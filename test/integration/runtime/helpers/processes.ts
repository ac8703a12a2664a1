// Child-process helpers for runtime tests: wait for output, read process groups, stop
// everything a test started.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resolves with the child's stdout once it contains `text`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${text}; stderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before printing ${text}; stderr: ${errors}`));
    });
  });
}

/** Resolves with the exit code (null for a signal) once the child has exited. */
export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** True while `pid` exists (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    return processStat(pid).state !== 'Z';
  } catch {
    return false;
  }
}

/** State and process group of `pid` from /proc. */
export function processStat(pid: number): { state: string; pgrp: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
}

/** Polls until `pid` is gone. */
export async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends `signal` to `pid`, ignoring a process that is already gone. */
export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
