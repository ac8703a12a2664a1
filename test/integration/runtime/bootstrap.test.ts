import { chmodSync, chownSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { bootstrapRelay, isSocketConnectable } from '../../../src/runtime/bootstrap.js';
import type { SpawnedRelay } from '../../../src/runtime/bootstrap.js';
import { RelayRuntimeLock, isLockHeld, tryLockExclusive } from '../../../src/runtime/locks.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import type { BundlePaths } from '../../../src/runtime/paths.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

describe('bootstrapRelay', () => {
  let roots: TempRoots;
  let paths: BundlePaths;
  let servers: Server[];
  let timers: NodeJS.Timeout[];
  let held: { release(): void }[];

  beforeEach(() => {
    roots = makeTempRoots('boot');
    paths = bundlePaths(roots.stateDir, 'party-alpha');
    ensureRuntimeDir(paths);
    servers = [];
    timers = [];
    held = [];
  });

  afterEach(async () => {
    for (const timer of timers) clearTimeout(timer);
    for (const lock of held) lock.release();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    roots.cleanup();
  });

  // The in-process "relay": a net server on the bundle socket, like the seed's UnixListener.
  function listen(): Promise<Server> {
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(paths.socket, () => resolve(server));
    });
  }

  function listenLater(delayMs: number): void {
    timers.push(setTimeout(() => void listen(), delayMs));
  }

  async function failure(promise: Promise<unknown>): Promise<AgentmuxError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AgentmuxError) return error;
      throw error;
    }
    throw new Error('expected bootstrap to fail');
  }

  // Seed: bootstrap_fails_when_autostart_disabled
  it('fails with relay_unavailable telling how to start the relay when autostart is off', async () => {
    let spawned = false;
    const error = await failure(
      bootstrapRelay(paths, { autoStart: false, startupTimeoutMs: 100 }, () => {
        spawned = true;
      }),
    );
    expect(error.code).toBe('relay_unavailable');
    expect(error.message).toContain(`no relay is running for bundle ${paths.bundle}`);
    // The hint says what to do, and is not a copy of the message.
    expect(error.hint).toContain(`agentmux host relay --bundle ${paths.bundle} --state-directory ${paths.stateDir}`);
    expect(error.message).not.toContain('host relay');
    expect(spawned).toBe(false);
  });

  // Seed: bootstrap_uses_existing_relay_without_spawning
  it('uses an existing listener without spawning', async () => {
    await listen();
    let spawned = false;
    const report = await bootstrapRelay(paths, { autoStart: true }, () => {
      spawned = true;
    });
    expect(report).toEqual({ spawnedRelay: false });
    expect(spawned).toBe(false);
  });

  // Seed: bootstrap_spawns_relay_when_socket_missing
  it('spawns when the socket is missing and waits until it accepts connections', async () => {
    let spawnCalls = 0;
    const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 2000 }, () => {
      spawnCalls += 1;
      listenLater(250);
    });
    expect(report).toEqual({ spawnedRelay: true });
    expect(spawnCalls).toBe(1);
    // Listening starts 250 ms after the spawn: returning before it would find no listener.
    expect(await isSocketConnectable(paths.socket)).toBe(true);
    // The spawn lock is released once the relay is up.
    expect(isLockHeld(paths.spawnLock)).toBe(false);
  });

  it('notices the socket when the relay starts listening, not only at the next poll', async () => {
    // A poll interval far beyond the test's timeout: only the socket watch can end the wait.
    const report = await bootstrapRelay(
      paths,
      { autoStart: true, startupTimeoutMs: 120_000, pollIntervalMs: 60_000 },
      () => listenLater(100),
    );
    expect(report).toEqual({ spawnedRelay: true });
    expect(await isSocketConnectable(paths.socket)).toBe(true);
  }, 20_000);

  // Seed: bootstrap_removes_stale_socket_before_spawning
  it('removes a stale regular file at the socket path before spawning', async () => {
    writeFileSync(paths.socket, 'stale\n');
    let existedAtSpawn: boolean | undefined;
    const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 2000 }, () => {
      existedAtSpawn = existsSync(paths.socket);
      listenLater(50);
    });
    expect(existedAtSpawn).toBe(false);
    expect(report).toEqual({ spawnedRelay: true });
  });

  it('keeps a stale socket while the runtime lock is held (a relay is still starting)', async () => {
    writeFileSync(paths.socket, 'not yet listening\n');
    held.push(RelayRuntimeLock.acquire(paths));
    let existedAtSpawn: boolean | undefined;
    const error = await failure(
      bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 150 }, () => {
        existedAtSpawn = existsSync(paths.socket);
      }),
    );
    expect(existedAtSpawn).toBe(true);
    expect(existsSync(paths.socket)).toBe(true);
    expect(error.code).toBe('relay_unavailable');
  });

  it('fails at once with relay_startup_failed and the log tail when the spawned relay exits early', async () => {
    const relay: SpawnedRelay = {
      pid: 4242,
      exitCode: () => 1,
      logTail: () => 'error: bundle party-alpha has an invalid coder\n',
    };
    // A start-up timeout longer than the test's: only noticing the exit ends this in time.
    const error = await failure(bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 600_000 }, () => relay));
    expect(error.code).toBe('relay_startup_failed');
    expect(error.message).toContain('exited with code 1');
    expect(error.message).toContain('error: bundle party-alpha has an invalid coder');
    expect(error.details).toMatchObject({
      exit_code: 1,
      pid: 4242,
      log_tail: expect.stringContaining('invalid coder'),
    });
    expect(isLockHeld(paths.spawnLock)).toBe(false);
  });

  it('keeps waiting when the spawned relay lost the runtime lock to a relay that comes up', async () => {
    held.push(RelayRuntimeLock.acquire(paths));
    const relay: SpawnedRelay = { pid: 4243, exitCode: () => 3, logTail: () => 'relay already running\n' };
    const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 2000 }, () => {
      listenLater(200);
      return relay;
    });
    expect(report).toEqual({ spawnedRelay: true });
  });

  it('waits for a relay that is still running and only then reports success', async () => {
    const relay: SpawnedRelay = { pid: 4244, exitCode: () => undefined, logTail: () => '' };
    const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 2000 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      listenLater(150);
      return relay;
    });
    expect(report).toEqual({ spawnedRelay: true });
  });

  it('times out with relay_unavailable naming the socket and timeout, and releases the spawn lock', async () => {
    const error = await failure(
      bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 300, pollIntervalMs: 20 }, () => undefined),
    );
    expect(error.code).toBe('relay_unavailable');
    expect(error.details).toMatchObject({ socket: paths.socket, timeout_ms: 300 });
    expect(isLockHeld(paths.spawnLock)).toBe(false);
  });

  it('releases the spawn lock when spawning throws', async () => {
    await expect(
      bootstrapRelay(paths, { autoStart: true }, () => {
        throw new Error('cannot spawn');
      }),
    ).rejects.toThrow('cannot spawn');
    expect(isLockHeld(paths.spawnLock)).toBe(false);
  });

  it('a client that loses the spawn lock never spawns and waits for the winner', async () => {
    const winner = tryLockExclusive(paths.spawnLock);
    held.push(winner!);
    let spawned = false;
    listenLater(200);
    const report = await bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 2000 }, () => {
      spawned = true;
    });
    expect(report).toEqual({ spawnedRelay: false });
    expect(spawned).toBe(false);
  });

  it('a losing client times out with relay_unavailable when the winner never brings the relay up', async () => {
    held.push(tryLockExclusive(paths.spawnLock)!);
    const error = await failure(bootstrapRelay(paths, { autoStart: true, startupTimeoutMs: 150 }, () => undefined));
    expect(error.code).toBe('relay_unavailable');
  });

  it('does not trust a listening socket owned by another uid', async () => {
    await listen();
    chownSync(paths.socket, 65534, 65534);
    const error = await failure(bootstrapRelay(paths, { autoStart: false }, () => undefined));
    expect(error.code).toBe('relay_unavailable');
  });

  it('refuses to run in an insecure runtime dir', async () => {
    chmodSync(paths.dir, 0o755);
    const error = await failure(bootstrapRelay(paths, { autoStart: true }, () => undefined));
    expect(error.code).toBe('runtime_insecure_path');
    expect(statSync(paths.dir).mode & 0o777).toBe(0o755);
  });
});

describe('isSocketConnectable', () => {
  let roots: TempRoots;

  beforeEach(() => {
    roots = makeTempRoots('conn');
  });

  afterEach(() => roots.cleanup());

  it('is false for a missing path and for a regular file', async () => {
    const path = `${roots.root}/nothing.sock`;
    expect(await isSocketConnectable(path)).toBe(false);
    writeFileSync(path, '');
    expect(await isSocketConnectable(path)).toBe(false);
  });
});
