import { chmodSync, chownSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { bundlePaths, checkOwnedArtifact, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import type { BundlePaths } from '../../../src/runtime/paths.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

const FOREIGN_UID = 65534;

function thrown(fn: () => unknown): AgentmuxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected an AgentmuxError');
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

// Pre-creates the bundles dir as 0700 so only the bundle dir itself is under test.
function precreateBundleDir(paths: BundlePaths, mode: number): void {
  mkdirSync(paths.dir, { recursive: true });
  chmodSync(join(paths.stateDir, 'bundles'), 0o700);
  chmodSync(paths.dir, mode);
}

describe('ensureRuntimeDir', () => {
  let roots: TempRoots;
  let paths: BundlePaths;
  let servers: Server[];

  beforeEach(() => {
    roots = makeTempRoots('rtdir');
    paths = bundlePaths(join(roots.root, 'fresh', 'state'), 'party-alpha');
    servers = [];
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    roots.cleanup();
  });

  it('creates stateDir, bundles and the bundle dir as 0700 even under a permissive or odd umask', () => {
    const saved = process.umask(0o000);
    try {
      ensureRuntimeDir(paths);
    } finally {
      process.umask(saved);
    }
    expect(modeOf(paths.stateDir)).toBe(0o700);
    expect(modeOf(join(paths.stateDir, 'bundles'))).toBe(0o700);
    expect(modeOf(paths.dir)).toBe(0o700);

    const other = bundlePaths(join(roots.root, 'odd', 'state'), 'b');
    const savedOdd = process.umask(0o277);
    try {
      ensureRuntimeDir(other);
    } finally {
      process.umask(savedOdd);
    }
    expect(modeOf(other.dir)).toBe(0o700);
  });

  it('is idempotent on a dir it created', () => {
    ensureRuntimeDir(paths);
    ensureRuntimeDir(paths);
    expect(modeOf(paths.dir)).toBe(0o700);
  });

  it('refuses an existing bundle dir with mode 0755 and leaves it unchanged', () => {
    precreateBundleDir(paths, 0o755);
    const error = thrown(() => ensureRuntimeDir(paths));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: paths.dir, mode: '0755', owner_uid: process.getuid!() });
    expect(modeOf(paths.dir)).toBe(0o755);
  });

  it('refuses an existing bundle dir owned by another uid', () => {
    precreateBundleDir(paths, 0o700);
    chownSync(paths.dir, FOREIGN_UID, FOREIGN_UID);
    const error = thrown(() => ensureRuntimeDir(paths));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: paths.dir, owner_uid: FOREIGN_UID, expected_uid: process.getuid!() });
    expect(statSync(paths.dir).uid).toBe(FOREIGN_UID);
  });

  it('refuses an existing bundles dir with group bits', () => {
    const bundlesDir = join(paths.stateDir, 'bundles');
    mkdirSync(bundlesDir, { recursive: true });
    chmodSync(bundlesDir, 0o750);
    const error = thrown(() => ensureRuntimeDir(paths));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: bundlesDir, mode: '0750' });
  });

  it('refuses a regular file where the bundle dir should be', () => {
    mkdirSync(join(paths.stateDir, 'bundles'), { recursive: true, mode: 0o700 });
    chmodSync(join(paths.stateDir, 'bundles'), 0o700);
    writeFileSync(paths.dir, 'not a dir');
    expect(thrown(() => ensureRuntimeDir(paths)).code).toBe('runtime_insecure_path');
  });

  it('follows a symlinked state root but refuses a symlinked bundle dir', () => {
    const realState = join(roots.root, 'real-state');
    mkdirSync(realState, { mode: 0o700 });
    const linked = bundlePaths(join(roots.root, 'linked-state'), 'b');
    symlinkSync(realState, linked.stateDir);
    ensureRuntimeDir(linked);
    expect(modeOf(join(realState, 'bundles', 'b'))).toBe(0o700);

    const elsewhere = join(roots.root, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    const other = bundlePaths(join(roots.root, 'state2'), 'b');
    mkdirSync(join(other.stateDir, 'bundles'), { recursive: true, mode: 0o700 });
    chmodSync(join(other.stateDir, 'bundles'), 0o700);
    symlinkSync(elsewhere, other.dir);
    expect(thrown(() => ensureRuntimeDir(other)).code).toBe('runtime_insecure_path');
  });

  it('checkOwnedArtifact accepts a missing path and our own file', () => {
    ensureRuntimeDir(paths);
    expect(() => checkOwnedArtifact(paths.lock)).not.toThrow();
    writeFileSync(paths.lock, '', { mode: 0o644 });
    expect(() => checkOwnedArtifact(paths.lock)).not.toThrow();
  });

  it('checkOwnedArtifact refuses a file owned by another uid', () => {
    ensureRuntimeDir(paths);
    writeFileSync(paths.lock, '');
    chownSync(paths.lock, FOREIGN_UID, FOREIGN_UID);
    const error = thrown(() => checkOwnedArtifact(paths.lock));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: paths.lock, owner_uid: FOREIGN_UID });
  });

  it('checkOwnedArtifact refuses a socket with group/other bits only when asked to check a socket', async () => {
    ensureRuntimeDir(paths);
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(paths.socket, resolve));
    chmodSync(paths.socket, 0o660);
    expect(() => checkOwnedArtifact(paths.socket)).not.toThrow();
    expect(thrown(() => checkOwnedArtifact(paths.socket, { socket: true })).details).toMatchObject({ mode: '0660' });
    chmodSync(paths.socket, 0o600);
    expect(() => checkOwnedArtifact(paths.socket, { socket: true })).not.toThrow();
  });
});
