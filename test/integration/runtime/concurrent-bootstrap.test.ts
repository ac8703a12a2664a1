import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLockHeld, readRelayPid } from '../../../src/runtime/locks.js';
import { bundlePaths } from '../../../src/runtime/paths.js';
import type { BundlePaths } from '../../../src/runtime/paths.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { FAKE_RELAY, bundleRuntime } from './helpers/runtime-bundle.js';
import { isAlive, killQuietly, waitForExit, waitUntilGone } from './helpers/processes.js';

const CLIENTS = 20;

// One first-use client: waits for the common start time, then runs OUR bootstrap with
// spawnRelayDetached, and prints the outcome as one JSON line.
const CLIENT_SCRIPT = `
const { bundlePaths, bootstrapRelay, spawnRelayDetached } = await import(process.env.RUNTIME_BUNDLE_URL);
const [stateDir, configDir, program, startAt] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const paths = bundlePaths(stateDir, 'party-alpha');
try {
  const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 20000 }, () =>
    spawnRelayDetached({ program, bundle: 'party-alpha', configDir, stateDir, paths }),
  );
  process.stdout.write(JSON.stringify({ ok: true, spawnedRelay: report.spawnedRelay }) + '\\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, code: error.code, message: error.message }) + '\\n');
  process.exitCode = 1;
}
`;

function readPids(path: string): number[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

describe('concurrent first use', () => {
  let roots: TempRoots;
  let paths: BundlePaths;
  let children: ChildProcess[];
  let relayPids: number[];

  beforeEach(() => {
    roots = makeTempRoots('many');
    paths = bundlePaths(roots.stateDir, 'party-alpha');
    children = [];
    relayPids = [];
  });

  afterEach(async () => {
    for (const child of children) killQuietly(child.pid);
    await Promise.all(children.map((child) => waitForExit(child)));
    for (const pid of relayPids) killQuietly(pid, 'SIGTERM');
    for (const pid of relayPids) await waitUntilGone(pid);
    roots.cleanup();
  });

  it(`${CLIENTS} clients starting at once produce exactly one relay`, async () => {
    const bundleUrl = pathToFileURL(await bundleRuntime(roots.root)).href;
    const clientScript = join(roots.root, 'client.mjs');
    writeFileSync(clientScript, CLIENT_SCRIPT);
    const program = join(roots.root, 'agentmux');
    writeFileSync(program, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_RELAY}" "$@"\n`);
    chmodSync(program, 0o755);

    // The relay listens late so that most clients are already waiting when it comes up.
    const env = { ...process.env, RUNTIME_BUNDLE_URL: bundleUrl, FAKE_RELAY_LISTEN_DELAY_MS: '400' };
    const startAt = Date.now() + 2500;
    const outputs: Promise<string>[] = [];
    for (let index = 0; index < CLIENTS; index += 1) {
      const child = spawn(process.execPath, [clientScript, roots.stateDir, roots.configDir, program, String(startAt)], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      outputs.push(
        new Promise((resolve) => {
          let text = '';
          child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
          child.once('exit', () => resolve(text));
        }),
      );
    }
    const results = (await Promise.all(outputs)).map((text) => {
      try {
        return JSON.parse(text.trim()) as { ok: boolean; spawnedRelay?: boolean; message?: string };
      } catch {
        return { ok: false, message: text };
      }
    });

    // The relay accepts connections from listen() on and records its pid in the listen callback
    // just after, so a client can be done before that line is written.
    const deadline = Date.now() + 10_000;
    while (readPids(join(paths.dir, 'spawned.pids')).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const spawned = readPids(join(paths.dir, 'spawned.pids'));
    relayPids.push(...spawned);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(results.filter((result) => result.spawnedRelay === true)).toHaveLength(1);
    expect(children.map((child) => child.exitCode)).toEqual(new Array(CLIENTS).fill(0));
    expect(spawned).toHaveLength(1);
    expect(readPids(join(paths.dir, 'started.pids'))).toEqual(spawned);
    // The relay outlives every client that raced to start it.
    expect(isAlive(spawned[0]!)).toBe(true);
    expect(readRelayPid(paths)).toBe(spawned[0]);
    expect(isLockHeld(paths.spawnLock)).toBe(false);
  }, 60_000);
});
