// The dashboard end to end: the built CLI's `agentmux tui` in a real tmux pane (a private
// server, 120×40) driving a team of scripted agents in the bundle's own private tmux server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayPid, runCli, stopRelay, type CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { startUi, type UiPane } from './ui-pane.js';

const BUNDLE = 'crew';
let roots: TempRoots;
let team: ScriptedTeam;
let ui: UiPane;

interface StatusJson {
  relay: { state: string; pid: number | null };
  sessions: { id: string; state: string; queued: number; unread: number }[];
}

function cli(args: string[], as?: string): Promise<CliResult> {
  return runCli(roots, [...args, '--bundle', BUNDLE, ...(as ? ['--as-session', as] : [])], { timeoutMs: 30_000 });
}

async function status(): Promise<StatusJson> {
  const result = await cli(['status', '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

async function statusOption(): Promise<string> {
  return (await team.tmux(['show-option', '-gqv', '@agentmux-status'])).stdout.trim();
}

/** Types a message into the composer and presses Enter separately (like a person would). */
async function typeMessage(text: string): Promise<void> {
  await ui.keys([text], true);
  await ui.waitFor((screen) => screen.includes(text.slice(-20)), 'the draft on screen');
  await ui.keys(['Enter']);
}

beforeAll(async () => {
  roots = makeTempRoots('tui');
  team = writeScriptedTeam(roots, BUNDLE, [
    { id: 'alice', reply: true, thinkMs: 300 },
    { id: 'bob', thinkMs: 4000 },
  ]);
  const up = await cli(['up', '--json']);
  expect(up.code, up.stderr).toBe(0);
  for (const agent of team.agents) {
    await waitFor(
      async () => (await team.tmux(['capture-pane', '-p', '-t', `=${agent}:`])).stdout.trimEnd().endsWith('agent>'),
      20_000,
      `${agent}'s prompt`,
    );
  }
  ui = await startUi(roots, { columns: 120, rows: 40 });
}, 90_000);

afterAll(async () => {
  await ui?.kill();
  await runCli(roots, ['down', '--bundle', BUNDLE, '--no-autostart']);
  await stopRelay(roots, BUNDLE);
  await team?.tmux(['kill-server']);
  for (const pid of team?.agentPids() ?? []) process.kill(pid, 'SIGKILL');
  roots?.cleanup();
}, 60_000);

describe('agentmux tui', () => {
  it('shows the team, the relay and the keys', async () => {
    const screen = await ui.waitFor(
      (s) => /● relay \d+/.test(s) && s.includes('Sessions (3)') && s.includes('Enter send'),
      'the first full frame',
    );
    expect(screen).toContain('│› ');
    expect(screen).toMatch(/user\s+operator \(you\)/);
    // A pane counts as busy until its output has been quiet for the coder's quiet window.
    await ui.waitFor((s) => /alice\s+ready/.test(s) && /bob\s+ready/.test(s), 'both agents ready', 30_000);
    expect(await ui.screen()).toHaveLength(40);
  });

  it('delivers a typed message to an agent and shows its reply in the stream', async () => {
    await ui.keys(['@ali'], true);
    await ui.keys(['Tab']);
    await ui.waitFor((s) => s.includes('To: alice'), 'the completed recipient');
    await typeMessage('hello from the dashboard');
    await waitFor(
      () => team.logged('alice').some((prompt) => prompt.text.includes('hello from the dashboard')),
      30_000,
      'alice to receive the message in her pane',
    );
    await ui.waitFor((s) => s.includes('answer from alice: hello from the dashboard'), 'the reply', 30_000);
    // The reply reached the dashboard, which acked it: both copies end delivered.
    const screen = await ui.waitFor((s) => /alice → user✓/.test(s), 'the reply marked delivered');
    expect(screen).toMatch(/user → alice✓/);
    // The dashboard took delivery of the reply and acked it: nothing unread for the operator.
    const inbox = await cli(['inbox', '--unread', '--peek', '--json'], 'user');
    expect(JSON.parse(inbox.stdout)).toEqual([]);
  });

  it('changes `agentmux status` and the tmux status option as messages queue and deliver', async () => {
    await waitFor(
      async () => JSON.stringify((await status()).sessions.find((s) => s.id === 'bob')).includes('"state":"idle"'),
      30_000,
      'bob idle before the test',
    );
    expect((await status()).sessions.find((s) => s.id === 'bob')).toMatchObject({ state: 'idle', queued: 0 });
    for (const n of [1, 2, 3]) await typeMessage(`@bob task ${n} of three`);
    await waitFor(
      async () => ((await status()).sessions.find((s) => s.id === 'bob')?.queued ?? 0) > 0,
      20_000,
      'a queue for bob',
    );
    // The queue lasts only while bob works through it: the four views are watched at once, so
    // a slow CLI start on a loaded machine cannot use up the window before the last one looks.
    await Promise.all([
      waitFor(async () => /bob busy \(\d+ queued/.test((await cli(['status'])).stdout), 20_000, 'status text'),
      waitFor(async () => /bob busy \(\d+ queued/.test(await statusOption()), 20_000, 'the tmux option'),
      waitFor(
        async () => /#\[fg=yellow\]bob\*\+\d/.test((await cli(['status', '--format', 'tmux'])).stdout),
        20_000,
        'status --format tmux',
      ),
      ui.waitFor((s) => /bob\s+busy · \d+ queued/.test(s), 'the queue in the sessions panel', 20_000),
    ]);
    await waitFor(
      async () => {
        const bob = (await status()).sessions.find((s) => s.id === 'bob');
        return bob?.queued === 0 && bob.state === 'idle';
      },
      45_000,
      'bob to work through his queue',
    );
    // The screen detector may call bob busy again for a moment while his last answer prints.
    await waitFor(async () => /bob ready/.test((await cli(['status'])).stdout), 15_000, 'status to say bob ready');
    await waitFor(
      async () => (await statusOption()).includes('bob ready'),
      10_000,
      'the tmux option to show bob ready',
    );
    expect(team.logged('bob').filter((p) => p.text.includes('of three'))).toHaveLength(3);
    await ui.waitFor((s) => (s.match(/user → bob✓/g) ?? []).length === 3, 'three delivered marks');
  });

  it('fits an 80×24 terminal and keeps the footer on the last row', async () => {
    await ui.tmux(['resize-window', '-t', 'ui', '-x', '80', '-y', '24']);
    const screen = await ui.waitFor(
      (s) => s.split('\n').length === 24 && s.split('\n')[23]?.includes('Enter send') === true,
      'the 80×24 layout',
    );
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await ui.tmux(['resize-window', '-t', 'ui', '-x', '120', '-y', '40']);
  });

  it('reconnects when the relay dies, starting a new one, and keeps receiving', async () => {
    const before = relayPid(roots, BUNDLE);
    expect(before).toBeDefined();
    process.kill(before ?? 0, 'SIGKILL');
    await waitFor(
      () => {
        const now = relayPid(roots, BUNDLE);
        return now !== undefined && now !== before;
      },
      30_000,
      'a new relay',
    );
    const after = relayPid(roots, BUNDLE);
    await ui.waitFor((s) => s.includes(`● relay ${after}`), 'the dashboard to reconnect');
    const sent = await cli(['send', '-t', 'user', '-m', 'after the restart'], 'alice');
    expect(sent.code, sent.stderr).toBe(0);
    await ui.waitFor((s) => s.includes('after the restart'), 'a message through the new relay');
  });

  it('quits with Ctrl-C, exiting 0', async () => {
    await ui.keys(['C-c']);
    await waitFor(() => ui.exitCode() !== undefined, 10_000, 'the dashboard to exit');
    expect(ui.exitCode()).toBe(0);
  });
});
