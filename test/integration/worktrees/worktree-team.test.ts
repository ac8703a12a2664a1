// A running team of scripted agents, each in its own git worktree (real git, real tmux on the
// bundle's private socket, the built CLI): panes start in their worktrees, `list` shows branch
// and changes, `add`/`rm` change the running team, `down --clean` keeps unfinished work.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, stopRelay, type CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'wteam';
let roots: TempRoots | undefined;
let team: ScriptedTeam | undefined;

afterEach(async () => {
  if (roots && team) {
    await cli(['down']);
    await stopRelay(roots, BUNDLE);
    await team.tmux(['kill-server']);
  }
  roots?.cleanup();
  roots = undefined;
  team = undefined;
});

function cli(args: string[]): Promise<CliResult> {
  if (!roots) throw new Error('no roots');
  return runCli(roots, [...args, '--bundle', BUNDLE], { timeoutMs: 60_000 });
}

async function paneDirectory(session: string): Promise<string> {
  const shown = await team?.tmux(['display-message', '-p', '-t', `=${session}:`, '#{pane_current_path}']);
  return shown?.stdout.trim() ?? '';
}

function setUp(): { repo: TestRepo; worktreeOf: (s: string) => string } {
  roots = makeTempRoots('wtt');
  const repo = makeRepo(join(roots.root, 'app'));
  repo.commit('src/app.txt', 'line 1\nline 2\n', 'app');
  team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
  const bundle = [
    '# a hand-written team: keep this comment',
    'format-version = 1',
    'worktree = true',
    '',
    '# the first agent',
    '[[sessions]]',
    "id = 'alice'",
    `directory = '${repo.path}'`,
    "coder = 'scripted-alice'",
    '',
    '[[sessions]]',
    "id = 'bob'",
    `directory = '${repo.path}'`,
    "coder = 'scripted-bob'",
    '',
  ].join('\n');
  writeFileSync(join(roots.configDir, 'bundles', `${BUNDLE}.toml`), bundle);
  const worktreeOf = (session: string): string => join(roots?.stateDir ?? '', 'worktrees', BUNDLE, session);
  return { repo, worktreeOf };
}

interface ListedJson {
  sessions: { id: string; worktree?: { branch: string; changed: number } }[];
}

describe.sequential('a team in worktrees', () => {
  it('starts each pane in its own worktree, lists branches and changes, adds and removes agents while running, and cleans only finished work', async () => {
    const { repo, worktreeOf } = setUp();
    const up = await cli(['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).sessions.map((s: { outcome: string }) => s.outcome)).toEqual(['created', 'created']);
    for (const session of ['alice', 'bob']) {
      await waitFor(async () => (await paneDirectory(session)) !== '', 10_000, `${session}'s pane`);
      expect(realpathSync(await paneDirectory(session))).toBe(realpathSync(worktreeOf(session)));
      expect(repo.git(['rev-parse', '--abbrev-ref', 'HEAD'], worktreeOf(session))).toBe(`agentmux/${session}`);
    }

    // Both agents change the same file, each in its own checkout; the repository is untouched.
    writeFileSync(join(worktreeOf('alice'), 'src/app.txt'), 'line 1 by alice\nline 2\n');
    repo.commit('src/app.txt', 'line 1\nline 2 by bob\n', 'bob edits', worktreeOf('bob'));
    expect(readFileSync(join(repo.path, 'src/app.txt'), 'utf8')).toBe('line 1\nline 2\n');
    const listed = await cli(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const worktrees = Object.fromEntries(
      (JSON.parse(listed.stdout) as ListedJson).sessions.map((s) => [s.id, s.worktree]),
    );
    expect(worktrees).toMatchObject({
      alice: { branch: 'agentmux/alice', changed: 1 },
      bob: { branch: 'agentmux/bob', changed: 1 },
    });
    const human = await cli(['list']);
    expect(human.stdout).toContain('agentmux/alice (1 changed)');

    const diff = await cli(['diff', 'alice']);
    expect(diff.stdout).toContain('+line 1 by alice');
    const merged = await cli(['merge', 'bob', '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ result: 'fast-forward', base: 'main' });
    expect(readFileSync(join(repo.path, 'src/app.txt'), 'utf8')).toBe('line 1\nline 2 by bob\n');

    // A new agent joins the running team in its own worktree; the file keeps its comments.
    const added = await cli(['add', 'carol', '--coder', 'scripted-alice', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).agent).toMatchObject({ id: 'carol', outcome: 'created' });
    const file = join(roots?.configDir ?? '', 'bundles', `${BUNDLE}.toml`);
    expect(readFileSync(file, 'utf8')).toContain('# a hand-written team: keep this comment\n');
    expect(readFileSync(file, 'utf8')).toContain('# the first agent\n');
    await waitFor(async () => (await paneDirectory('carol')) !== '', 10_000, "carol's pane");
    expect(realpathSync(await paneDirectory('carol'))).toBe(realpathSync(worktreeOf('carol')));

    const removed = await cli(['rm', 'carol', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({
      agent: { id: 'carol', outcome: 'stopped' },
      worktree: { action: 'removed' },
    });
    expect(readFileSync(file, 'utf8')).not.toContain('carol');
    expect(readFileSync(file, 'utf8')).toContain('# the first agent\n');
    expect((await team?.tmux(['has-session', '-t', '=carol']))?.code).not.toBe(0);
    // The running relay forgot carol at once: no reload or `up` needed.
    const after = await cli(['list', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as ListedJson).sessions.map((s) => s.id)).not.toContain('carol');

    // alice has uncommitted work: kept; bob's branch is merged and clean: removed.
    const down = await cli(['down', '--clean', '--json']);
    expect(down.code, down.stderr).toBe(0);
    const cleaned = Object.fromEntries(
      (JSON.parse(down.stdout) as { worktrees: { session: string; action: string; reason?: string }[] }).worktrees.map(
        (w) => [w.session, w],
      ),
    );
    expect(cleaned.alice).toMatchObject({ action: 'kept' });
    expect(cleaned.alice?.reason).toContain('src/app.txt');
    expect(cleaned.bob).toMatchObject({ action: 'removed' });
    expect(existsSync(worktreeOf('alice'))).toBe(true);
    expect(existsSync(worktreeOf('bob'))).toBe(false);
    expect(readFileSync(join(worktreeOf('alice'), 'src/app.txt'), 'utf8')).toBe('line 1 by alice\nline 2\n');
  }, 120_000);
});
