// The CLI's terminal rules, on a real terminal: bare `agentmux` opens the dashboard only when
// stdin and stdout are a terminal, and `send` never waits for typed input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { spawnTty, type Tty } from './harness.js';

const BUNDLE = 'rules';
let roots: TempRoots;
let ttys: Tty[];

beforeEach(() => {
  roots = makeTempRoots('rules');
  writeBundle(roots, BUNDLE, [{ id: 'peer' }]);
  ttys = [];
});

afterEach(async () => {
  for (const tty of ttys) await tty.kill();
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

function tty(args: string[]): Tty {
  const started = spawnTty(AGENTMUX_BIN, args, { cols: 100, rows: 30, env: cliEnv(roots) });
  ttys.push(started);
  return started;
}

describe('terminal rules', () => {
  it('bare agentmux on a terminal opens the dashboard', async () => {
    const dashboard = tty([]);
    await dashboard.waitFor(/Sessions[\s\S]*peer/, 20_000);
    expect(dashboard.bufferType()).toBe('alternate');
    dashboard.send('\u0003');
    expect(await dashboard.exit).toBe(0);
    expect(dashboard.bufferType()).toBe('normal');
  });

  it('bare agentmux without a terminal prints usage and exits 2', async () => {
    const result = await runCli(roots, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/validation_missing_subcommand/);
    expect(result.stderr).toMatch(/Commands:/);
  });

  it('send with a terminal on stdin and no message fails at once', async () => {
    const send = tty(['send', '--target', 'peer', '--bundle', BUNDLE, '--as-session', 'user', '--no-autostart']);
    const code = await Promise.race([send.exit, new Promise<string>((r) => setTimeout(() => r('waiting'), 10_000))]);
    expect(code).not.toBe('waiting');
    expect(code).not.toBe(0);
    expect(send.output()).toMatch(/validation_missing_message_input/);
    // The message names the problem, the hint the remedy: not the same words twice.
    expect(send.output()).toMatch(/no --message, and stdin is a terminal/);
    expect(send.output()).toMatch(/hint: pass --message TEXT or pipe the message on stdin/);
  });
});
