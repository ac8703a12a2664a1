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

// Timeouts here are hang guards; how fast the dashboard opens and returns is
// bench/dashboard-attach.mjs's figure.
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
  await until(() => server.capture('s1').includes('mark-42'), 5000, 'marker in the pane');
  const tty = spawnTty(AGENTMUX_BIN, ['tui', '--bundle', BUNDLE], { cols: 100, rows: 30, env: cliEnv(roots) });
  dashboard = tty;
  await tty.waitFor(/Sessions \(\d\)[\s\S]*s1/, 30_000);
  for (let i = 0; i < 4 && !/Enter open/.test(text(tty)); i++) {
    tty.send('\t');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await tty.waitFor(/Enter open/, 5000);
  return tty;
}

async function openAndReturn(tty: Tty, cycle: number): Promise<void> {
  tty.send(cycle % 2 === 0 ? '\r' : 'o');
  await tty.waitFor(/mark-42|echo c\d+/, 5000);
  // The first frame is tmux's alone: no dashboard text painted over or under it.
  expect(text(tty)).not.toMatch(/Sessions \(|Enter open|agentmux {2}dash/);
  await until(() => server.clients().length === 1, 2000, 'one client');
  tty.send(`echo c${cycle}\r`);
  await until(() => server.capture('s1').includes(`c${cycle}\n`), 3000, `cycle ${cycle} typed`);
  tty.send('\u0011');
  await tty.waitFor(/back from s1/, 5000);
  await tty.waitFor(/Enter open/, 5000);
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
    await tty.waitFor(/Composer \(default\)/, 5000);
    expect(server.capture('s1')).not.toMatch(/\d+;\d+R|\?\d+c|rgb:/);
  });

  it('Ctrl-C while attached reaches the pane and leaves the dashboard running', async () => {
    const tty = await startDashboard();
    tty.send('\r');
    await tty.waitFor(/mark-42/, 5000);
    await until(() => server.clients().length === 1, 2000, 'one client');
    tty.send('sleep 30\r');
    await until(() => server.capture('s1').includes('sleep 30'), 3000, 'sleep typed');
    tty.send('\u0003');
    tty.send('echo alive-$((2+2))\r');
    await until(() => server.capture('s1').includes('alive-4'), 3000, 'the shell is back');
    expect(tty.exited()).toBe(false);
    // While a person is attached, the relay (and so `list`) says so.
    let listed = '';
    const deadline = Date.now() + 10_000;
    while (!/s1.*operator attached/.test(listed) && Date.now() < deadline) {
      listed = (await runCli(roots, ['list', '--bundle', BUNDLE, '--no-autostart'])).stdout;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed).toMatch(/s1.*operator attached/);
    tty.send('\u0011');
    await tty.waitFor(/back from s1/, 5000);
  });

  it('shows session_ended when the session is killed while attached', async () => {
    server.addSession('keeper');
    const tty = await startDashboard();
    tty.send('\r');
    await tty.waitFor(/mark-42/, 5000);
    await until(() => server.clients().length === 1, 2000, 'one client');
    server.run(['kill-session', '-t', '=s1']);
    await tty.waitFor(/s1 ended while you were attached/, 5000);
    expect(tty.exited()).toBe(false);
  });

  it('survives 30 open/type/detach cycles without a corrupted first frame', async () => {
    const tty = await startDashboard();
    for (let cycle = 0; cycle < 30; cycle++) await openAndReturn(tty, cycle);
    expect(tty.exited()).toBe(false);
  }, 120_000);
});
