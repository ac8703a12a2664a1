// The dashboard's "open an agent and come back", end to end: `agentmux tui` on a test
// terminal, Enter on a session of a real private tmux server, typing, the detach key, return.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, runCli, stopRelay } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { spawnTty, type Tty } from './harness.js';
import { startPrivateTmux, type PrivateTmux } from './private-tmux.js';

const BUNDLE = 'dash';
let roots: TempRoots;
let server: PrivateTmux;
let dashboard: Tty | undefined;

beforeEach(() => {
  roots = makeTempRoots('dash');
  server = startPrivateTmux(roots, BUNDLE, ['s1']);
});

afterEach(async () => {
  await dashboard?.kill();
  dashboard = undefined;
  await stopRelay(roots, BUNDLE);
  server.stop();
  roots.cleanup();
});

// Timeouts here are hang guards, generous because a loaded 2-core runner can take seconds to
// start an attach client; how fast the dashboard opens and returns is
// bench/dashboard-attach.mjs's figure.
const GUARD_MS = 20_000;
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const text = (tty: Tty): string => tty.screen().join('\n');

/** Starts the dashboard and focuses the sessions panel with s1 selected. */
async function startDashboard(): Promise<Tty> {
  server.run(['send-keys', '-t', '=s1:', 'echo mark-$((40+2))', 'Enter']);
  await until(() => server.capture('s1').includes('mark-42'), GUARD_MS, 'marker in the pane');
  const tty = spawnTty(AGENTMUX_BIN, ['tui', '--bundle', BUNDLE], { cols: 100, rows: 30, env: cliEnv(roots) });
  dashboard = tty;
  await tty.waitFor(/Sessions \(\d\)[\s\S]*s1/, 30_000);
  // One Shift-Tab takes the focus from the composer (where it starts) to the sessions panel: a
  // single key, so a dashboard slow to draw on a loaded machine cannot be tabbed past it.
  await tty.waitFor(/Enter send/, GUARD_MS);
  tty.send('\u001b[Z');
  await tty.waitFor(/Enter open/, GUARD_MS);
  return tty;
}

async function openAndReturn(tty: Tty, cycle: number): Promise<void> {
  tty.send(cycle % 2 === 0 ? '\r' : 'o');
  await tty.waitFor(/mark-42|echo c\d+/, GUARD_MS);
  // The first frame is tmux's alone: no dashboard text painted over or under it.
  expect(text(tty)).not.toMatch(/Sessions \(|Enter open|agentmux {2}dash/);
  await until(() => server.clients().length === 1, GUARD_MS, 'one client');
  tty.send(`echo c${cycle}\r`);
  await until(() => server.capture('s1').includes(`c${cycle}\n`), GUARD_MS, `cycle ${cycle} typed`);
  tty.send('\u0011');
  await tty.waitFor(/back from s1/, GUARD_MS);
  await tty.waitFor(/Enter open/, GUARD_MS);
}

describe('dashboard open and return', () => {
  it('opens the selected session full screen and comes back on the detach key', async () => {
    const tty = await startDashboard();
    await openAndReturn(tty, 0);
    expect(server.ok(['has-session', '-t', '=s1'])).toBe(true);
    expect(server.clients()).toEqual([]);
    expect(tty.bufferType()).toBe('alternate');
    // The first key after the return reaches the dashboard (? opens help) and no reply leaks.
    expect(text(tty)).not.toMatch(/Composer \(default\)/);
    tty.send('?');
    await tty.waitFor(/Composer \(default\)/, GUARD_MS);
    expect(server.capture('s1')).not.toMatch(/\d+;\d+R|\?\d+c|rgb:/);
  }, 120_000);

  it('Ctrl-C while attached reaches the pane and leaves the dashboard running', async () => {
    const tty = await startDashboard();
    tty.send('\r');
    await tty.waitFor(/mark-42/, GUARD_MS);
    await until(() => server.clients().length === 1, GUARD_MS, 'one client');
    tty.send('sleep 30\r');
    await until(() => server.capture('s1').includes('sleep 30'), GUARD_MS, 'sleep typed');
    tty.send('\u0003');
    tty.send('echo alive-$((2+2))\r');
    await until(() => server.capture('s1').includes('alive-4'), GUARD_MS, 'the shell is back');
    expect(tty.exited()).toBe(false);
    // While a person is attached, the relay (and so `list`) says so.
    let listed = '';
    const deadline = Date.now() + GUARD_MS;
    while (!/s1.*operator attached/.test(listed) && Date.now() < deadline) {
      listed = (await runCli(roots, ['list', '--bundle', BUNDLE, '--no-autostart'])).stdout;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed).toMatch(/s1.*operator attached/);
    tty.send('\u0011');
    await tty.waitFor(/back from s1/, GUARD_MS);
  }, 120_000);

  it('shows session_ended when the session is killed while attached', async () => {
    server.addSession('keeper');
    const tty = await startDashboard();
    tty.send('\r');
    await tty.waitFor(/mark-42/, GUARD_MS);
    await until(() => server.clients().length === 1, GUARD_MS, 'one client');
    server.run(['kill-session', '-t', '=s1']);
    await tty.waitFor(/s1 ended while you were attached/, GUARD_MS);
    expect(tty.exited()).toBe(false);
  }, 120_000);

  it('survives 30 open/type/detach cycles without a corrupted first frame', async () => {
    const tty = await startDashboard();
    for (let cycle = 0; cycle < 30; cycle++) await openAndReturn(tty, cycle);
    expect(tty.exited()).toBe(false);
  }, 600_000);
});
