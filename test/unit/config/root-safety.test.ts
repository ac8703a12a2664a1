// State and config roots are refused when another user could rename entries above them
// (issue 15.2): a group/other-writable ancestor without the sticky bit, or one owned by
// another non-root user. The relay's runtime directory is checked through ensureRuntimeDir.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertSafeRoot } from '../../../src/config/root-safety.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { bundlePaths, ensureRuntimeDir } from '../../../src/runtime/paths.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('root-safety');
});
afterEach(() => roots.cleanup());

function thrown(fn: () => unknown): AgentmuxError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected an AgentmuxError');
}

function sharedDir(mode: number): string {
  const dir = join(roots.root, 'shared');
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

describe('state and config roots', () => {
  it('refuses a state root below a 0777 directory without the sticky bit, naming that directory', () => {
    const shared = sharedDir(0o777);
    const error = thrown(() => ensureRuntimeDir(bundlePaths(join(shared, 'amx'), 'team')));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: shared, mode: '0777' });
    expect(error.message).toContain('without the sticky bit');
    expect(error.hint).toContain(`chmod go-w ${shared}`);
    // Nothing was created under it.
    expect(existsSync(join(shared, 'amx'))).toBe(false);
  });

  it('refuses a state root that is itself 0777 (it already exists, so it is not recreated private)', () => {
    const shared = sharedDir(0o777);
    expect(thrown(() => ensureRuntimeDir(bundlePaths(shared, 'team'))).details).toMatchObject({ path: shared });
  });

  it('refuses a config root below a group-writable directory', () => {
    const shared = sharedDir(0o770);
    const error = thrown(() => assertSafeRoot(join(shared, 'cfg'), 'config'));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.message).toContain('above the config directory');
  });

  it('follows a symlinked root to where it points and checks that chain too', () => {
    const shared = sharedDir(0o777);
    mkdirSync(join(shared, 'real'), { mode: 0o700 });
    const link = join(roots.root, 'state-link');
    symlinkSync(join(shared, 'real'), link);
    expect(thrown(() => assertSafeRoot(link, 'state')).details).toMatchObject({ path: shared });
  });

  it('accepts a sticky world-writable ancestor (like /tmp) and private directories', () => {
    const shared = sharedDir(0o1777);
    const paths = bundlePaths(join(shared, 'amx'), 'team');
    ensureRuntimeDir(paths);
    expect(existsSync(paths.dir)).toBe(true);
    expect(() => assertSafeRoot(roots.configDir, 'config')).not.toThrow();
  });
});

// Needs a second user: created with useradd when running as root, removed afterwards.
const isRoot = process.getuid?.() === 0;
const hasUseradd = isRoot && existsSync('/usr/sbin/useradd');
if (!hasUseradd) {
  console.warn('SKIPPED: the other-user root checks need root and useradd (run the tests as root to include them)');
}

describe.skipIf(!hasUseradd)('roots owned by another user (needs root: creates a throwaway user)', () => {
  const user = `amxprobe${process.pid % 100_000}`;
  let uid = -1;
  beforeAll(() => {
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user], { stdio: 'ignore' });
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  });
  afterAll(() => {
    execFileSync('userdel', [user], { stdio: 'ignore' });
  });

  it('refuses a state root whose ancestor belongs to another user, even with mode 0755', () => {
    const theirs = sharedDir(0o755);
    chownSync(theirs, uid, uid);
    mkdirSync(join(theirs, 'amx'), { mode: 0o700 });
    const error = thrown(() => ensureRuntimeDir(bundlePaths(join(theirs, 'amx'), 'team')));
    expect(error.code).toBe('runtime_insecure_path');
    expect(error.details).toMatchObject({ path: theirs, owner_uid: uid });
    expect(error.message).toContain('is owned by another user');
  });

  it('refuses a config root owned by another user', () => {
    const theirs = sharedDir(0o700);
    chownSync(theirs, uid, uid);
    expect(thrown(() => assertSafeRoot(theirs, 'config')).details).toMatchObject({ path: theirs, owner_uid: uid });
  });
});
