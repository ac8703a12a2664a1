// Adding and removing an agent from the dashboard: the built CLI's `agentmux tui` in a real tmux
// pane (a private server) over a running team of scripted agents. `n` names and starts a new
// agent (the bundle file gains it, its pane runs, the sessions panel lists it); `x` asks, then
// stops it, and it leaves the bundle file, `list` and the panel at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, stopRelay, type CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { startUi, type UiPane } from './ui-pane.js';

const BUNDLE = 'grow';
let roots: TempRoots;
let team: ScriptedTeam;
let ui: UiPane;

function cli(args: string[]): Promise<CliResult> {
  return runCli(roots, [...args, '--bundle', BUNDLE], { timeoutMs: 30_000 });
}

async function listed(): Promise<string[]> {
  const result = await cli(['list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}

const bundleText = (): string => readFileSync(join(roots.configDir, 'bundles', `${BUNDLE}.toml`), 'utf8');

beforeAll(async () => {
  roots = makeTempRoots('tuiag');
  team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }]);
  const up = await cli(['up', '--json']);
  expect(up.code, up.stderr).toBe(0);
  ui = await startUi(roots, { columns: 120, rows: 40 });
  await ui.waitFor((s) => /● relay \d+/.test(s) && s.includes('Sessions (2)'), 'the first full frame');
}, 90_000);

afterAll(async () => {
  await ui?.kill();
  await runCli(roots, ['down', '--bundle', BUNDLE, '--no-autostart']);
  await stopRelay(roots, BUNDLE);
  await team?.tmux(['kill-server']);
  for (const pid of team?.agentPids() ?? []) process.kill(pid, 'SIGKILL');
  roots?.cleanup();
}, 60_000);

describe.sequential('agents added and removed from the dashboard', () => {
  it('n on the sessions panel names a new agent, picks its coder and starts it', async () => {
    await ui.keys(['BTab']);
    await ui.waitFor((s) => s.includes('new agent'), 'the sessions keys in the footer');
    await ui.keys(['n']);
    await ui.waitFor((s) => s.includes('New agent') && s.includes('scripted-alice'), 'the new-agent form');
    await ui.keys(['carol'], true);
    await ui.waitFor((s) => s.includes('Name: carol'), 'the typed name');
    await ui.keys(['Enter']);
    await ui.waitFor((s) => s.includes('carol added (created)'), 'the agent started', 60_000);
    await ui.waitFor((s) => s.includes('Sessions (3)') && /carol\s/.test(s), 'carol in the sessions panel');
    expect(bundleText()).toMatch(/id = "carol"|id = 'carol'/);
    expect(await listed()).toContain('carol');
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', `=carol:`])).stdout.includes('scripted agent'),
      20_000,
      "carol's pane running the scripted agent",
    );
  });

  it('x asks, and y stops the agent and takes it out of the bundle, list and the panel at once', async () => {
    // The new agent is selected: x asks about it.
    await ui.keys(['x']);
    await ui.waitFor((s) => s.includes('Remove carol?'), 'the question');
    await ui.keys(['y']);
    await ui.waitFor((s) => s.includes('carol removed (stopped)'), 'the agent removed', 60_000);
    await ui.waitFor(
      (s) => s.includes('Sessions (2)') && s.split('\n').filter((line) => line.includes('carol')).length === 1,
      'carol gone from the panel',
    );
    expect(bundleText()).not.toContain('carol');
    expect(await listed()).not.toContain('carol');
    expect((await team.tmux(['has-session', '-t', '=carol'])).code).not.toBe(0);
  });

  it('Esc on the question keeps the agent', async () => {
    await ui.keys(['k']); // the removed agent was selected: select the first session again
    await ui.keys(['x']);
    await ui.waitFor((s) => s.includes('Remove alice?'), 'the question about the selected agent');
    await ui.keys(['Escape']);
    await ui.waitFor((s) => !s.includes('Remove alice?'), 'the question closed');
    expect(bundleText()).toContain('alice');
    expect(await listed()).toContain('alice');
  });
});
