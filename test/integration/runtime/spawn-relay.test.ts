import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { bootstrapRelay } from '../../../src/runtime/bootstrap.js';
import { readRelayPid } from '../../../src/runtime/locks.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import type { BundlePaths } from '../../../src/runtime/paths.js';
import { RELAY_HEAP_FLAGS, withRelayHeapLimits } from '../../../src/runtime/relay-heap.js';
import { relayExtraCaCertsLeftOut } from '../../../src/runtime/relay-ca-certs.js';
import { restoreCallerEnv, withRelayOnly } from '../../../src/runtime/relay-env.js';
import { LOG_TAIL_BYTES, readLogTail, spawnRelayDetached } from '../../../src/runtime/spawn-relay.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';
import { FAKE_RELAY } from './helpers/runtime-bundle.js';
import { isAlive, killQuietly, processStat, waitUntilGone } from './helpers/processes.js';

// Records how it was started, writes to both output streams, then idles until killed.
const PROBE_SCRIPT = `#!${process.execPath}
import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
writeFileSync(process.env.PROBE_OUT, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), pid: process.pid,
  mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, trimThreshold: process.env.MALLOC_TRIM_THRESHOLD_ ?? null,
  nodeOptions: process.env.NODE_OPTIONS,
  extraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null, stashedCaCerts: JSON.parse(process.env.AGENTMUX_RELAY_CALLER_ENV ?? '{}').NODE_EXTRA_CA_CERTS ?? null,
  heapLimit: getHeapStatistics().heap_size_limit }));
process.stdout.write('probe stdout line\\n');
process.stderr.write('probe stderr line\\n');
setInterval(() => undefined, 1 << 30);
`;

function writeProgram(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('spawnRelayDetached', () => {
  let roots: TempRoots;
  let paths: BundlePaths;
  let pids: number[];

  beforeEach(() => {
    roots = makeTempRoots('spawn');
    paths = bundlePaths(roots.stateDir, 'party-alpha');
    ensureRuntimeDir(paths);
    pids = [];
  });

  afterEach(async () => {
    for (const pid of pids) killQuietly(pid);
    for (const pid of pids) await waitUntilGone(pid);
    roots.cleanup();
  });

  it('runs `<program> host relay ...` detached, in the runtime dir, with output appended to relay.log', async () => {
    writeFileSync(paths.log, 'earlier line\n');
    chmodSync(paths.log, 0o600);
    const program = writeProgram(join(roots.root, 'probe.mjs'), PROBE_SCRIPT);
    const probeOut = join(roots.root, 'probe.json');
    const relay = spawnRelayDetached({
      program,
      bundle: 'party-alpha',
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      paths,
      env: { ...process.env, PROBE_OUT: probeOut },
    });
    expect(relay.pid).toBeGreaterThan(0);
    pids.push(relay.pid!);
    await until(() => relay.logTail().includes('probe stderr line'));

    const probe = JSON.parse(readFileSync(probeOut, 'utf8'));
    expect(probe.argv).toEqual([
      'host',
      'relay',
      '--bundle',
      'party-alpha',
      '--config-directory',
      roots.configDir,
      '--state-directory',
      roots.stateDir,
    ]);
    expect(probe.cwd).toBe(paths.dir);
    // Message-sized buffers get their own mappings, so freeing them hands the memory back.
    expect(probe.mmapThreshold).toBe('131072');
    // Free memory at the heap's top is kept, not unmapped and faulted in again per message.
    expect(probe.trimThreshold).toBe('4194304');
    // Own process group, stdin from /dev/null, stdout and stderr into the log.
    expect(processStat(relay.pid!).pgrp).toBe(relay.pid);
    expect(readlinkSync(`/proc/${relay.pid}/fd/0`)).toBe('/dev/null');
    expect(readlinkSync(`/proc/${relay.pid}/fd/1`)).toBe(paths.log);
    expect(readlinkSync(`/proc/${relay.pid}/fd/2`)).toBe(paths.log);
    const log = readFileSync(paths.log, 'utf8');
    expect(log.startsWith('earlier line\n')).toBe(true);
    expect(log).toContain('probe stdout line\n');
    expect(relay.exitCode()).toBeUndefined();

    process.kill(relay.pid!, 'SIGTERM');
    await until(() => relay.exitCode() !== undefined);
    expect(relay.exitCode()).toBeNull();
  });

  it("starts the relay with bounded V8 heap limits, keeping the caller's own NODE_OPTIONS", async () => {
    const program = writeProgram(join(roots.root, 'probe.mjs'), PROBE_SCRIPT);
    const probeOut = join(roots.root, 'probe.json');
    const relay = spawnRelayDetached({
      program,
      bundle: 'party-alpha',
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      paths,
      env: { ...process.env, PROBE_OUT: probeOut, NODE_OPTIONS: '--trace-warnings' },
    });
    pids.push(relay.pid!);
    await until(() => relay.logTail().includes('probe stderr line'));

    const probe = JSON.parse(readFileSync(probeOut, 'utf8'));
    expect(probe.nodeOptions).toBe(['--trace-warnings', ...RELAY_HEAP_FLAGS].join(' '));
    // V8 applied them: the limit is the 1 GiB old space plus a few MiB of young generation.
    expect(probe.heapLimit).toBeGreaterThanOrEqual(1024 * 2 ** 20);
    expect(probe.heapLimit).toBeLessThan(1100 * 2 ** 20);
  });

  // Node 20 parses NODE_EXTRA_CA_CERTS at every start; only a bundle with [[hosts]] (the NATS bridge) makes TLS connections.
  it('starts the relay of a bundle without hosts without NODE_EXTRA_CA_CERTS, stashed for what it starts', async () => {
    const bundles = join(roots.configDir, 'bundles');
    mkdirSync(bundles, { recursive: true });
    writeFileSync(join(bundles, 'party-alpha.toml'), 'format-version = 1\n\n[[sessions]]\nid = "alice"\n');
    writeFileSync(join(bundles, 'party-beta.toml'), '[[hosts]]\nid = "laptop"\nnats = "tls://127.0.0.1:4222"\n');
    const program = writeProgram(join(roots.root, 'probe.mjs'), PROBE_SCRIPT);
    const probe = async (bundle: string): Promise<{ extraCaCerts: string | null; stashedCaCerts: string | null }> => {
      const probeOut = join(roots.root, `probe-${bundle}.json`);
      const bundleRuntime = bundlePaths(roots.stateDir, bundle);
      ensureRuntimeDir(bundleRuntime);
      const relay = spawnRelayDetached({
        program,
        bundle,
        configDir: roots.configDir,
        stateDir: roots.stateDir,
        paths: bundleRuntime,
        env: { ...process.env, PROBE_OUT: probeOut, NODE_EXTRA_CA_CERTS: '/etc/extra-ca.pem' },
      });
      pids.push(relay.pid!);
      await until(() => relay.logTail().includes('probe stderr line'));
      return JSON.parse(readFileSync(probeOut, 'utf8'));
    };
    expect(await probe('party-alpha')).toMatchObject({ extraCaCerts: null, stashedCaCerts: '/etc/extra-ca.pem' });
    expect(await probe('party-beta')).toMatchObject({ extraCaCerts: '/etc/extra-ca.pem', stashedCaCerts: null });
  });

  it("gives the relay's children the caller's NODE_EXTRA_CA_CERTS back and remembers the relay runs without it", () => {
    expect(relayExtraCaCertsLeftOut()).toBeUndefined();
    const env = withRelayOnly(
      { NODE_EXTRA_CA_CERTS: '/etc/extra-ca.pem', HOME: '/h' },
      { NODE_EXTRA_CA_CERTS: undefined },
    );
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    restoreCallerEnv(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/extra-ca.pem', HOME: '/h' });
    expect(relayExtraCaCertsLeftOut()).toBe('/etc/extra-ca.pem');
  });

  it('leaves a heap limit the caller set in NODE_OPTIONS as it is', () => {
    const env = withRelayHeapLimits({ NODE_OPTIONS: '--max-old-space-size=4096' });
    expect(env.NODE_OPTIONS).toBe('--max-old-space-size=4096 --max-semi-space-size=4');
  });

  it("gives the relay's children the caller's NODE_OPTIONS back, or none", () => {
    const kept = withRelayHeapLimits({ NODE_OPTIONS: '--trace-warnings', HOME: '/h' });
    restoreCallerEnv(kept);
    expect(kept).toEqual({ NODE_OPTIONS: '--trace-warnings', HOME: '/h' });
    const none = withRelayHeapLimits({ HOME: '/h' });
    expect(none.NODE_OPTIONS).toBe(RELAY_HEAP_FLAGS.join(' '));
    restoreCallerEnv(none);
    expect(none).toEqual({ HOME: '/h' });
  });

  it('creates relay.log with mode 0600 and reports the exit code of a relay that stops', async () => {
    const program = writeProgram(join(roots.root, 'fails.sh'), '#!/bin/sh\necho "config error: boom" >&2\nexit 4\n');
    const relay = spawnRelayDetached({
      program,
      bundle: 'party-alpha',
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      paths,
    });
    await until(() => relay.exitCode() !== undefined);
    expect(relay.exitCode()).toBe(4);
    expect(relay.logTail()).toBe('config error: boom\n');
    expect(statSync(paths.log).mode & 0o777).toBe(0o600);
  });

  it('reports a program that cannot be started through exitCode and the log', async () => {
    const relay = spawnRelayDetached({
      program: join(roots.root, 'missing-agentmux'),
      bundle: 'party-alpha',
      configDir: roots.configDir,
      stateDir: roots.stateDir,
      paths,
    });
    expect(relay.pid).toBeUndefined();
    await until(() => relay.exitCode() !== undefined);
    expect(relay.exitCode()).toBe(127);
    expect(relay.logTail()).toContain('could not start relay program');
    expect(relay.logTail()).toContain('ENOENT');
  });
});

describe('bootstrapRelay with a real spawned relay', () => {
  let roots: TempRoots;
  let paths: BundlePaths;
  let pids: number[];

  beforeEach(() => {
    roots = makeTempRoots('spawnboot');
    paths = bundlePaths(roots.stateDir, 'party-alpha');
    pids = [];
  });

  afterEach(async () => {
    for (const pid of pids) killQuietly(pid, 'SIGTERM');
    for (const pid of pids) await waitUntilGone(pid);
    roots.cleanup();
  });

  const spawnWith = (program: string) => () =>
    spawnRelayDetached({ program, bundle: 'party-alpha', configDir: roots.configDir, stateDir: roots.stateDir, paths });

  it('starts the fake relay and returns once it listens', async () => {
    const wrapper = writeProgram(
      join(roots.root, 'agentmux'),
      `#!/bin/sh\nexec "${process.execPath}" "${FAKE_RELAY}" "$@"\n`,
    );
    const report = await bootstrapRelay(paths, { autoStart: true }, spawnWith(wrapper));
    expect(report).toEqual({ spawnedRelay: true });
    const pid = readRelayPid(paths);
    expect(pid).not.toBeNull();
    pids.push(pid!);
    expect(isAlive(pid!)).toBe(true);
    // The socket accepts connections from listen() on; the fake relay records itself in its
    // listen callback a moment later, and the client (woken by the socket appearing) may be first.
    const spawnedPids = join(paths.dir, 'spawned.pids');
    await until(
      () => existsSync(spawnedPids) && readFileSync(paths.log, 'utf8').includes(`fake-relay ${pid} listening`),
    );
    expect(readFileSync(spawnedPids, 'utf8')).toBe(`${pid}\n`);
    expect(statSync(paths.socket).mode & 0o777).toBe(0o600);

    const again = await bootstrapRelay(paths, { autoStart: true }, spawnWith(wrapper));
    expect(again).toEqual({ spawnedRelay: false });
  });

  it('fails fast with relay_startup_failed quoting the log when the relay exits during startup', async () => {
    const program = writeProgram(join(roots.root, 'fails.sh'), '#!/bin/sh\necho "config error: boom" >&2\nexit 4\n');
    // The start-up timeout outlives the test's: only noticing the exit can end this in time.
    const error = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 600_000 }, spawnWith(program)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentmuxError);
    const failure = error as AgentmuxError;
    expect(failure.code).toBe('relay_startup_failed');
    expect(failure.message).toContain('exited with code 4');
    expect(failure.message).toContain('config error: boom');
    expect(failure.details).toMatchObject({ exit_code: 4, log_tail: 'config error: boom' });
  });

  it('fails fast when the relay program does not exist', async () => {
    const error = await bootstrapRelay(paths, { autoStart: true }, spawnWith('/nonexistent/agentmux')).then(
      () => undefined,
      (caught: unknown) => caught as AgentmuxError,
    );
    expect(error?.code).toBe('relay_startup_failed');
    expect(error?.message).toContain('could not be started');
    expect(error?.message).toContain('ENOENT');
  });
});

describe('readLogTail', () => {
  let roots: TempRoots;

  beforeEach(() => {
    roots = makeTempRoots('tail');
  });

  afterEach(() => roots.cleanup());

  it('returns the last ~2 KiB from a line start, or everything for a short log', () => {
    const path = join(roots.root, 'relay.log');
    expect(readLogTail(path)).toBe('');
    writeFileSync(path, 'short\n');
    expect(readLogTail(path)).toBe('short\n');
    const lines = Array.from({ length: 200 }, (_, index) => `line ${String(index).padStart(3, '0')} ${'x'.repeat(20)}`);
    writeFileSync(path, lines.join('\n') + '\n');
    const tail = readLogTail(path);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(LOG_TAIL_BYTES);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(LOG_TAIL_BYTES - 40);
    expect(tail.startsWith('line ')).toBe(true);
    expect(tail.endsWith(`${lines[199]}\n`)).toBe(true);
  });
});
