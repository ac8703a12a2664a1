import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { RelayRuntimeLock, isLockHeld, readRelayPid, tryLockExclusive } from '../../../src/runtime/locks.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import type { BundlePaths } from '../../../src/runtime/paths.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { bundleRuntime } from './helpers/runtime-bundle.js';
import { killQuietly, waitForExit, waitForOutput, waitUntilGone } from './helpers/processes.js';

// Takes RelayRuntimeLock through the bundled runtime; prints `locked` or the error as JSON.
const HOLDER_SCRIPT = `
const { bundlePaths, loadLocks } = await import(process.env.RUNTIME_BUNDLE_URL);
const { RelayRuntimeLock } = await loadLocks();
const [stateDir, bundle] = process.argv.slice(2);
try {
  const lock = RelayRuntimeLock.acquire(bundlePaths(stateDir, bundle));
  process.on('SIGTERM', () => { lock.release(); process.exit(0); });
  setInterval(() => undefined, 1 << 30);
  process.stdout.write('locked\\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ code: error.code, message: error.message }) + '\\n');
  process.exit(1);
}
`;

describe('locks', () => {
  let shared: TempRoots;
  let holderScript: string;
  let bundleUrl: string;
  let roots: TempRoots;
  let paths: BundlePaths;
  let children: ChildProcess[];
  let held: { release(): void }[];

  beforeAll(async () => {
    shared = makeTempRoots('locks-build');
    bundleUrl = pathToFileURL(await bundleRuntime(shared.root)).href;
    holderScript = join(shared.root, 'holder.mjs');
    writeFileSync(holderScript, HOLDER_SCRIPT);
  });

  afterAll(() => shared.cleanup());

  beforeEach(() => {
    roots = makeTempRoots('locks');
    paths = bundlePaths(roots.stateDir, 'party-alpha');
    ensureRuntimeDir(paths);
    children = [];
    held = [];
  });

  afterEach(async () => {
    for (const lock of held) lock.release();
    for (const child of children) killQuietly(child.pid);
    await Promise.all(children.map((child) => waitForExit(child)));
    roots.cleanup();
  });

  function startHolder(): ChildProcess {
    const child = spawn(process.execPath, [holderScript, roots.stateDir, paths.bundle], {
      env: { ...process.env, RUNTIME_BUNDLE_URL: bundleUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  function acquireError(): AgentmuxError {
    try {
      held.push(RelayRuntimeLock.acquire(paths));
    } catch (error) {
      if (error instanceof AgentmuxError) return error;
      throw error;
    }
    throw new Error('expected acquire to fail');
  }

  it('refuses a second relay while another process holds the lock, and exposes its pid', async () => {
    const holder = startHolder();
    await waitForOutput(holder, 'locked');
    expect(readFileSync(paths.lock, 'utf8')).toBe(`${holder.pid}\n`);
    expect(readRelayPid(paths)).toBe(holder.pid);
    expect(isLockHeld(paths.lock)).toBe(true);

    const error = acquireError();
    expect(error.code).toBe('relay_already_running');
    expect(error.message).toBe('relay already running for bundle party-alpha');
    expect(error.details).toMatchObject({ pid: holder.pid });

    holder.kill('SIGTERM');
    expect(await waitForExit(holder)).toBe(0);
    expect(readFileSync(paths.lock, 'utf8')).toBe('');
    expect(readRelayPid(paths)).toBeNull();
    const lock = RelayRuntimeLock.acquire(paths);
    held.push(lock);
    expect(readFileSync(paths.lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('makes a relay in another process fail while this process holds the lock; release truncates', async () => {
    const lock = RelayRuntimeLock.acquire(paths);
    held.push(lock);
    expect(readFileSync(paths.lock, 'utf8')).toBe(`${process.pid}\n`);
    expect(statSync(paths.lock).mode & 0o777).toBe(0o600);

    const contender = startHolder();
    const output = await new Promise<string>((resolve) => {
      let text = '';
      contender.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      contender.once('exit', () => resolve(text));
    });
    expect(JSON.parse(output)).toEqual({
      code: 'relay_already_running',
      message: 'relay already running for bundle party-alpha',
    });
    expect(contender.exitCode).toBe(1);

    lock.release();
    lock.release();
    expect(readFileSync(paths.lock, 'utf8')).toBe('');
    expect(isLockHeld(paths.lock)).toBe(false);
  });

  it('frees the lock when the holder is SIGKILLed', async () => {
    const holder = startHolder();
    await waitForOutput(holder, 'locked');
    expect(() => RelayRuntimeLock.acquire(paths)).toThrow('relay already running for bundle party-alpha');
    holder.kill('SIGKILL');
    await waitForExit(holder);
    await waitUntilGone(holder.pid!);
    // The stale pid is still in the file, but nobody holds the lock, so it is not reported.
    expect(readFileSync(paths.lock, 'utf8')).toBe(`${holder.pid}\n`);
    expect(readRelayPid(paths)).toBeNull();
    held.push(RelayRuntimeLock.acquire(paths));
    expect(readFileSync(paths.lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('tryLockExclusive excludes a second open in the same process until release', () => {
    const first = tryLockExclusive(paths.spawnLock);
    expect(first).not.toBeNull();
    held.push(first!);
    expect(first!.path).toBe(paths.spawnLock);
    expect(statSync(paths.spawnLock).mode & 0o777).toBe(0o600);
    expect(tryLockExclusive(paths.spawnLock)).toBeNull();
    expect(isLockHeld(paths.spawnLock)).toBe(true);
    first!.release();
    first!.release();
    expect(isLockHeld(paths.spawnLock)).toBe(false);
    const second = tryLockExclusive(paths.spawnLock);
    expect(second).not.toBeNull();
    held.push(second!);
  });

  it('isLockHeld does not create a missing lock file', () => {
    expect(isLockHeld(paths.lock)).toBe(false);
    expect(existsSync(paths.lock)).toBe(false);
    expect(readRelayPid(paths)).toBeNull();
  });

  it('refuses a lock file owned by another uid', () => {
    writeFileSync(paths.lock, '');
    chownSync(paths.lock, 65534, 65534);
    expect(() => tryLockExclusive(paths.lock)).toThrow(expect.objectContaining({ code: 'runtime_insecure_path' }));
    expect(() => RelayRuntimeLock.acquire(paths)).toThrow(expect.objectContaining({ code: 'runtime_insecure_path' }));
  });
});
