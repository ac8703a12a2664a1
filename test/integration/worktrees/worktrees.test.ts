// Agent worktrees against real git: creation with include files, two agents editing the same
// file, diff, merge (fast-forward, clean merge, conflict refused untouched) and clean-up.
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSessionConfig, BundleConfig } from '../../../src/config/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import {
  cleanWorktree,
  ensureWorktree,
  mergeWorktree,
  worktreeDiff,
  worktreePlan,
  worktreeStatus,
  worktreeSummaries,
  type WorktreePlan,
} from '../../../src/workspace/index.js';
import { makeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
let repo: TestRepo;

beforeEach(() => {
  roots = makeTempRoots('wt');
  repo = makeRepo(join(roots.root, 'app'));
});
afterEach(() => roots.cleanup());

function bundleWith(sessions: Partial<AgentSessionConfig>[], extra: Partial<BundleConfig> = {}): BundleConfig {
  return {
    id: 'app',
    file: join(roots.configDir, 'bundles', 'app.toml'),
    autostart: false,
    groups: [],
    sessions: sessions.map((s) => ({ id: 'a', directory: repo.path, worktree: true, ...s })),
    worktreeInclude: ['.env', 'node_modules'],
    ...extra,
  };
}

function planOf(bundle: BundleConfig, id: string): WorktreePlan {
  const session = bundle.sessions.find((s) => s.id === id);
  if (!session) throw new Error(`no session ${id}`);
  const plan = worktreePlan(bundle, session, roots.stateDir);
  if (!plan) throw new Error(`no plan for ${id}`);
  return plan;
}

async function refusal(promise: Promise<unknown>): Promise<AgentmuxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgentmuxError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('agent worktrees', () => {
  it('creates the worktree on agentmux/<session> outside the repository, copying .env and linking node_modules', async () => {
    repo.write('.env', 'SECRET=1\n');
    mkdirSync(join(repo.path, 'node_modules', 'left-pad'), { recursive: true });
    repo.write('.gitignore', 'node_modules\n');
    const plan = planOf(bundleWith([{ id: 'alice' }]), 'alice');
    const prepared = await ensureWorktree(plan);
    expect(prepared.outcome).toBe('created');
    expect(prepared.workdir).toBe(join(roots.stateDir, 'worktrees', 'app', 'alice'));
    expect(realpathSync(prepared.workdir).startsWith(realpathSync(repo.path))).toBe(false);
    expect(repo.git(['rev-parse', '--abbrev-ref', 'HEAD'], prepared.workdir)).toBe('agentmux/alice');
    expect(readFileSync(join(prepared.workdir, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(lstatSync(join(prepared.workdir, 'node_modules')).isSymbolicLink()).toBe(true);
    // The copied set-up files do not count as the agent's changes.
    const status = await worktreeStatus(plan);
    expect(status).toMatchObject({ exists: true, base: 'main', changed: 0, dirty: [], ahead: 0 });
    expect((await ensureWorktree(plan)).outcome).toBe('kept');
  });

  it('re-creates a worktree deleted by hand on its existing branch, keeping its commits', async () => {
    const plan = planOf(bundleWith([{ id: 'frank' }]), 'frank');
    const dir = (await ensureWorktree(plan)).workdir;
    const commit = repo.commit('f.txt', 'f\n', 'frank', dir);
    rmSync(plan.path, { recursive: true, force: true });
    expect((await ensureWorktree(plan)).outcome).toBe('created');
    expect(repo.git(['rev-parse', 'HEAD'], plan.path)).toBe(commit);
    expect((await worktreeStatus(plan)).ahead).toBe(1);
  });

  it('starts a session configured in a subdirectory in the same subdirectory of its worktree', async () => {
    repo.commit('pkg/web/index.js', 'x\n', 'web');
    const plan = planOf(bundleWith([{ id: 'web', directory: join(repo.path, 'pkg', 'web') }]), 'web');
    const prepared = await ensureWorktree(plan);
    expect(prepared.workdir).toBe(join(plan.path, 'pkg', 'web'));
    expect(existsSync(join(prepared.workdir, 'index.js'))).toBe(true);
  });

  it('refuses a directory that is not in a git repository', async () => {
    const plain = join(roots.root, 'plain');
    mkdirSync(plain);
    const plan = planOf(bundleWith([{ id: 'x', directory: plain }]), 'x');
    expect((await refusal(ensureWorktree(plan))).code).toBe('validation_not_a_repository');
  });

  it('lets two agents edit the same file in their own worktrees, then merges the first by fast-forward and refuses the conflicting second untouched', async () => {
    repo.commit('src/app.txt', 'line 1\nline 2\nline 3\n', 'app');
    const bundle = bundleWith([{ id: 'alice' }, { id: 'bob' }]);
    const alice = planOf(bundle, 'alice');
    const bob = planOf(bundle, 'bob');
    const aliceDir = (await ensureWorktree(alice)).workdir;
    const bobDir = (await ensureWorktree(bob)).workdir;
    repo.commit('src/app.txt', 'line 1 by alice\nline 2\nline 3\n', 'alice edits', aliceDir);
    repo.commit('src/app.txt', 'line 1 by bob\nline 2\nline 3\n', 'bob edits', bobDir);
    expect(readFileSync(join(repo.path, 'src/app.txt'), 'utf8')).toBe('line 1\nline 2\nline 3\n');

    const diff = await worktreeDiff(alice);
    expect(diff.base).toBe('main');
    expect(diff.stat).toMatch(/src\/app\.txt \| 2 \+-/);
    expect(diff.patch).toContain('+line 1 by alice');
    expect((await worktreeStatus(alice)).changed).toBe(1);

    const merged = await mergeWorktree(alice);
    expect(merged.result).toBe('fast-forward');
    expect(readFileSync(join(repo.path, 'src/app.txt'), 'utf8')).toBe('line 1 by alice\nline 2\nline 3\n');

    const mainBefore = repo.git(['rev-parse', 'main']);
    const statusBefore = repo.git(['status', '--porcelain']);
    const error = await refusal(mergeWorktree(bob));
    expect(error.code).toBe('validation_merge_refused');
    expect(error.message).toContain('src/app.txt');
    expect(error.details).toMatchObject({ conflicts: ['src/app.txt'] });
    expect(repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    expect(repo.git(['status', '--porcelain'])).toBe(statusBefore);
    expect(readFileSync(join(repo.path, 'src/app.txt'), 'utf8')).toBe('line 1 by alice\nline 2\nline 3\n');
    expect(repo.git(['rev-parse', 'HEAD'], bobDir)).toBe(repo.git(['rev-parse', 'agentmux/bob']));
  });

  it('merges a branch that diverged without conflicts with a merge commit into the checked-out base', async () => {
    repo.commit('a.txt', 'a\n', 'a');
    const plan = planOf(bundleWith([{ id: 'carol' }]), 'carol');
    const dir = (await ensureWorktree(plan)).workdir;
    repo.commit('b.txt', 'b from carol\n', 'carol adds b', dir);
    repo.commit('c.txt', 'c on main\n', 'main adds c');
    const outcome = await mergeWorktree(plan);
    expect(outcome.result).toBe('merged');
    expect(repo.git(['rev-list', '--parents', '-n', '1', 'main']).split(' ')).toHaveLength(3);
    expect(readFileSync(join(repo.path, 'b.txt'), 'utf8')).toBe('b from carol\n');
    expect(repo.git(['status', '--porcelain'])).toBe('');
  });

  it('merges into a base branch that is not checked out without touching any checkout', async () => {
    repo.git(['branch', 'release']);
    repo.commit('main-only.txt', 'm\n', 'main moves on');
    const plan = planOf(bundleWith([{ id: 'dave', base: 'release' }]), 'dave');
    const dir = (await ensureWorktree(plan)).workdir;
    repo.commit('d.txt', 'd\n', 'dave', dir);
    const head = repo.git(['rev-parse', 'HEAD']);
    expect((await mergeWorktree(plan)).result).toBe('fast-forward');
    expect(repo.git(['rev-parse', 'release'])).toBe(repo.git(['rev-parse', 'agentmux/dave']));
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);
    expect(existsSync(join(repo.path, 'd.txt'))).toBe(false);
  });

  it('summarises each existing worktree for the dashboard: branch, changed files, shortstat', async () => {
    const bundle = bundleWith([{ id: 'alice' }, { id: 'idle' }, { id: 'plain', worktree: false }]);
    const dir = (await ensureWorktree(planOf(bundle, 'alice'))).workdir;
    await ensureWorktree(planOf(bundle, 'idle'));
    repo.commit('one.txt', 'a\nb\n', 'one', dir);
    repo.write('README.md', 'changed\n', dir);
    const summaries = await worktreeSummaries(bundle, roots.stateDir);
    expect([...summaries.keys()]).toEqual(['alice', 'idle']);
    expect(summaries.get('alice')).toEqual({
      branch: 'agentmux/alice',
      changed: 2,
      shortstat: '2 files changed, 3 insertions(+), 1 deletion(-)',
    });
    expect(summaries.get('idle')).toEqual({ branch: 'agentmux/idle', changed: 0, shortstat: '' });
  });

  it('refuses to merge uncommitted work and names the files', async () => {
    const plan = planOf(bundleWith([{ id: 'erin' }]), 'erin');
    const dir = (await ensureWorktree(plan)).workdir;
    repo.write('draft.txt', 'wip\n', dir);
    const error = await refusal(mergeWorktree(plan));
    expect(error.code).toBe('validation_merge_refused');
    expect(error.details).toMatchObject({ dirty: ['draft.txt'] });
  });

  it('cleans merged, clean worktrees and keeps dirty or unmerged ones unless forced', async () => {
    const bundle = bundleWith([{ id: 'done' }, { id: 'dirty' }, { id: 'ahead' }]);
    const [done, dirty, ahead] = ['done', 'dirty', 'ahead'].map((id) => planOf(bundle, id)) as [
      WorktreePlan,
      WorktreePlan,
      WorktreePlan,
    ];
    repo.write('.env', 'X=1\n');
    for (const plan of [done, dirty, ahead]) await ensureWorktree(plan);
    repo.commit('done.txt', 'done\n', 'done', done.path);
    await mergeWorktree(done);
    repo.write('notes.txt', 'unsaved\n', dirty.path);
    repo.commit('ahead.txt', 'ahead\n', 'ahead', ahead.path);

    const removed = await cleanWorktree(done, false);
    expect(removed.action).toBe('removed');
    expect(existsSync(done.path)).toBe(false);
    expect(repo.git(['branch', '--list', 'agentmux/done'])).toBe('');

    const keptDirty = await cleanWorktree(dirty, false);
    expect(keptDirty).toMatchObject({ action: 'kept' });
    expect(keptDirty.reason).toContain('notes.txt');
    expect(readFileSync(join(dirty.path, 'notes.txt'), 'utf8')).toBe('unsaved\n');

    const keptAhead = await cleanWorktree(ahead, false);
    expect(keptAhead).toMatchObject({ action: 'kept' });
    expect(keptAhead.reason).toContain('1 commit(s) not merged into main');
    expect(repo.git(['rev-parse', '--verify', 'agentmux/ahead'])).not.toBe('');

    expect((await cleanWorktree(ahead, true)).action).toBe('removed');
    expect(repo.git(['branch', '--list', 'agentmux/ahead'])).toBe('');
    expect(existsSync(join(repo.path, '.env'))).toBe(true);
  });
});
