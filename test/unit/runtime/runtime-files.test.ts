// Files in the runtime directory are never written through a symlink planted at a name the
// relay would use (issue 15.2): each test plants one at the name today's code would pick and
// checks the victim file is untouched.
import { lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/safe-file.js';
import type { StatusSnapshot } from '../../../src/core/protocol/index.js';
import { StatusFiles } from '../../../src/relay/status-files.js';
import { paneLaunch } from '../../../src/transports/tmux/session-launch.js';
import { TmuxServer } from '../../../src/transports/tmux/tmux-server.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
let victim: string;
const VICTIM_TEXT = 'the victim file\n';

beforeEach(() => {
  roots = makeTempRoots('runtime-files');
  victim = join(roots.root, 'victim.txt');
  writeFileSync(victim, VICTIM_TEXT);
});
afterEach(() => roots.cleanup());

const snapshot: StatusSnapshot = {
  bundle: 'team',
  updated_at: '2026-01-01T00:00:00.000Z',
  relay: { state: 'running', pid: process.pid },
  sessions: [],
  needs_operator: [],
};

describe('runtime files and planted symlinks', () => {
  it('status files: a symlink at status.json.<pid>.tmp is not followed', () => {
    const paths = { status: join(roots.stateDir, 'status'), statusJson: join(roots.stateDir, 'status.json') };
    symlinkSync(victim, `${paths.statusJson}.${process.pid}.tmp`);
    symlinkSync(victim, `${paths.status}.${process.pid}.tmp`);
    new StatusFiles(paths, () => snapshot).write();
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(JSON.parse(readFileSync(paths.statusJson, 'utf8'))).toMatchObject({ bundle: 'team' });
    expect(lstatSync(paths.statusJson).isFile()).toBe(true);
  });

  it('tmux.conf: a symlink at tmux.conf.<pid>.tmp is not followed', () => {
    const confPath = join(roots.stateDir, 'tmux.conf');
    symlinkSync(victim, `${confPath}.${process.pid}.tmp`);
    const server = new TmuxServer({ socket: join(roots.stateDir, 'tmux.sock'), confPath });
    try {
      server.writeConf();
    } finally {
      server.close();
    }
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(lstatSync(confPath).isFile()).toBe(true);
    expect(lstatSync(confPath).mode & 0o777).toBe(0o600);
  });

  it('pane environment file: a symlink at pane-<session>.env is not followed; the name is unpredictable', () => {
    symlinkSync(victim, join(roots.stateDir, 'pane-alice.env'));
    const first = paneLaunch(roots.stateDir, 'alice', 'true', { SECRET_KEY: 'sk-123', AGENTMUX_SESSION: 'alice' });
    const second = paneLaunch(roots.stateDir, 'alice', 'true', { SECRET_KEY: 'sk-123' });
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(first.envFile).not.toBe(second.envFile);
    expect(first.envFile).toMatch(/\/pane-alice\.[0-9a-f]{16}\.env$/);
    expect(readFileSync(first.envFile, 'utf8')).toBe("export SECRET_KEY='sk-123'\n");
    expect(lstatSync(first.envFile).mode & 0o777).toBe(0o600);
    // The secret is not on the command line; the AGENTMUX_* variables are.
    expect(first.argv.join(' ')).not.toContain('sk-123');
    expect(first.env).toEqual({ AGENTMUX_SESSION: 'alice' });
  });

  it('writeFileAtomic replaces a symlink at the final name instead of writing through it', () => {
    const target = join(roots.stateDir, 'status.json');
    symlinkSync(victim, target);
    writeFileAtomic(target, 'new\n');
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    // No temporary file is left behind.
    expect(readdirSync(roots.stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writeFileAtomic with replace: false never overwrites an existing file', () => {
    const target = join(roots.stateDir, 'coders.toml');
    expect(writeFileAtomic(target, 'first\n', { replace: false })).toBe(true);
    expect(writeFileAtomic(target, 'second\n', { replace: false })).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('first\n');
    expect(readdirSync(roots.stateDir)).toEqual(['coders.toml']);
  });
});
