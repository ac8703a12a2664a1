// The dashboard's first frame, on a real terminal: `agentmux tui` loads the roster and recent
// history while ink and react load, and draws nothing until it has them, so the very first
// frame it writes already lists every session and the history (bench/tui-first-frame.mjs has
// the time this saves: one full render instead of several partial ones).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { spawnTty, type Tty } from './harness.js';

const BUNDLE = 'first';
const SESSIONS = ['alpha', 'bravo', 'charlie', 'delta', 'foxtrot', 'golf'];
const MARKER = 'hello-from-history';
let roots: TempRoots;
let dashboard: Tty | undefined;

beforeEach(() => {
  roots = makeTempRoots('first-frame');
  writeBundle(
    roots,
    BUNDLE,
    SESSIONS.map((id) => ({ id })),
  );
});

afterEach(async () => {
  await dashboard?.kill();
  dashboard = undefined;
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

/** What the terminal shows of `output` with every escape sequence taken out. */
function plainText(output: string): string {
  // CSI sequences, OSC strings, then any other two-byte escape.
  // eslint-disable-next-line no-control-regex -- reading a terminal's byte stream
  return output.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g, '');
}

it('writes its first frame with every session and the recent history already in it', async () => {
  // The relay is up with a message in its history before the dashboard starts.
  const sent = await runCli(roots, [
    'send',
    '--bundle',
    BUNDLE,
    '--as-session',
    'user',
    '--target',
    'alpha',
    '-m',
    MARKER,
  ]);
  expect(sent.code, sent.stderr).toBe(0);
  const tty = spawnTty(AGENTMUX_BIN, ['tui', '--bundle', BUNDLE], { cols: 120, rows: 40, env: cliEnv(roots) });
  dashboard = tty;
  await tty.waitFor(new RegExp(`${SESSIONS.at(-1)}[\\s\\S]*Enter send`), 30_000);
  await tty.waitFor(new RegExp(MARKER), 10_000);
  // The footer's key hints close a frame (they are its last row): everything written before
  // their first appearance is the first frame.
  const written = plainText(tty.output());
  const firstFrame = written.slice(0, written.indexOf('Enter send'));
  expect(firstFrame).toContain('Sessions');
  for (const id of SESSIONS) expect(firstFrame).toContain(id);
  expect(firstFrame).toContain(MARKER);
  expect(firstFrame).not.toContain('connecting to the relay');
});
