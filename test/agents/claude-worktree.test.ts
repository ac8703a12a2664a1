// Issue 19 with the real Claude Code (offline, loopback model server): `agentmux init` finds it
// on PATH and writes the team, `up` starts it in its own git worktree, and its hooks report
// from inside that worktree. Run alone: npx vitest run --config test/agents/vitest.config.ts test/agents/claude-worktree.test.ts
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '../fixtures/model-server/model-server.js';
import { stopRelay, type CliResult } from '../helpers/cli.js';
import { waitFor } from '../helpers/client.js';
import { makeRepo } from '../helpers/git-repo.js';
import { makeTempRoots, type TempRoots } from '../helpers/temp-roots.js';
import { prepareAgentHome } from './helpers/homes.js';
import { pidsWith, runAgentmux } from './helpers/real-agent.js';
import { ensureAgentTools } from './helpers/tools.js';

let roots: TempRoots | undefined;
let model: ModelServer | undefined;
let home = '';
let bundle = '';

afterAll(async () => {
  if (roots) {
    await runAgentmux(roots, ['down', '--no-autostart', '--bundle', bundle], {}).catch(() => undefined);
    await stopRelay(roots, bundle);
    for (const pid of pidsWith([`HOME=${home}`, 'AGENTMUX_INSTANCE='])) process.kill(pid, 'SIGKILL');
  }
  await model?.close();
  roots?.cleanup();
});

describe.sequential('claude: init + up in a worktree', () => {
  it('init detects Claude Code, up starts it in agentmux/claude, and its hooks report from the worktree', async () => {
    const tools = ensureAgentTools();
    roots = makeTempRoots('ag-init');
    const repo = makeRepo(join(roots.root, 'shop'));
    // Only claude on PATH (the cache also holds codex and gemini).
    const bin = join(roots.root, 'bin');
    mkdirSync(bin);
    symlinkSync(join(tools, 'claude'), join(bin, 'claude'));
    const path = `${bin}:/usr/local/bin:/usr/bin:/bin`;
    bundle = 'shop';
    const worktree = join(realpathSync(roots.stateDir), 'worktrees', bundle, 'claude');
    model = await startModelServer({ delayMs: 300 });
    const prepared = prepareAgentHome('claude', roots.root, worktree, model.url);
    home = prepared.home;
    // Claude Code files a worktree under its main repository for trust, and runs project hooks
    // only in a trusted one: trust the repository too, as a user who ran claude in it has.
    const claudeJson = join(home, '.claude.json');
    const config = JSON.parse(readFileSync(claudeJson, 'utf8')) as { projects: Record<string, unknown> };
    config.projects[realpathSync(repo.path)] = { hasTrustDialogAccepted: true };
    writeFileSync(claudeJson, JSON.stringify(config, null, 2));
    const env = { ...prepared.env, PATH: path };
    const run = (args: string[], timeoutMs?: number): Promise<CliResult> =>
      runAgentmux(roots as TempRoots, args, env, timeoutMs);

    const init = await run(['init', '--dir', repo.path, '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      bundle,
      detected: ['claude'],
      sessions: [{ id: 'claude', coder: 'claude' }],
      worktree: true,
    });

    const up = await run(['up', '--json'], 90_000);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).sessions).toMatchObject([{ id: 'claude', outcome: 'created' }]);
    expect(repo.git(['rev-parse', '--abbrev-ref', 'HEAD'], worktree)).toBe('agentmux/claude');

    const view = async (): Promise<{ state: string; state_source: string }> => {
      const listed = await run(['list', '--json', '--as-session', 'user']);
      const sessions = (
        JSON.parse(listed.stdout || '{"sessions":[]}') as {
          sessions: { id: string; state: string; state_source: string; worktree?: { branch: string } }[];
        }
      ).sessions;
      return sessions.find((s) => s.id === 'claude') ?? { state: 'missing', state_source: '' };
    };
    await waitFor(async () => (await view()).state === 'idle', 90_000, 'claude ready');

    const marker = `wt-${Math.random().toString(36).slice(2, 8)}`;
    const sent = await run(['send', '-t', 'claude', '-m', `hello ${marker}`, '--as-session', 'user', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    await waitFor(() => model?.prompts(marker).length !== 0, 60_000, 'the prompt at the model');
    // Claude Code's hooks, run in the worktree, report its conversation id (logged by the relay
    // with the hook event that carried it).
    const log = join(roots.stateDir, 'bundles', bundle, 'relay.log');
    await waitFor(
      () =>
        readFileSync(log, 'utf8')
          .split('\n')
          .some((line) => line.includes('"session":"claude"') && line.includes('"conversation_id"')),
      60_000,
      'a hook report from claude',
    );
    await waitFor(async () => (await view()).state === 'idle', 60_000, 'claude idle after the turn');
  }, 300_000);
});
