// `agentmux attach` end to end: the built CLI on a test terminal, attached through node-pty to
// a real private tmux server (one socket per test).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { spawnTty, type Tty } from './harness.js';
import { startPrivateTmux, type PrivateTmux } from './private-tmux.js';

const BUNDLE = 'tty';
let roots: TempRoots;
let server: PrivateTmux;
let ttys: Tty[];

beforeEach(() => {
  roots = makeTempRoots('attach');
  server = startPrivateTmux(roots, BUNDLE, ['s1']);
  ttys = [];
});

afterEach(async () => {
  for (const tty of ttys) await tty.kill();
  server.stop();
  roots.cleanup();
});

function open(options: { cols?: number; rows?: number; env?: Record<string, string> } = {}): Tty {
  const tty = spawnTty(AGENTMUX_BIN, ['attach', 's1', '--bundle', BUNDLE], {
    cols: options.cols ?? 100,
    rows: options.rows ?? 30,
    env: cliEnv(roots, options.env),
  });
  ttys.push(tty);
  return tty;
}

// Timeouts here are hang guards; the figures (open, detach, flood memory) are
// bench/attach-flood.mjs's.
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Opens s1 with a marker printed in its pane, waiting until the client is attached and raw. */
async function attached(options: Parameters<typeof open>[0] = {}): Promise<Tty> {
  server.run(['send-keys', '-t', '=s1:', 'echo mark-$((40+2))', 'Enter']);
  await until(() => server.capture('s1').includes('mark-42'), 20_000, 'marker in the pane');
  const tty = open(options);
  await tty.waitFor(/mark-42/, 10_000);
  await until(() => server.clients().length === 1, 20_000, 'one client');
  return tty;
}

describe('agentmux attach', () => {
  it('shows the pane at once, with exactly one client sized to the outer terminal', async () => {
    const tty = await attached({ cols: 100, rows: 30 });
    expect(tty.bufferType()).toBe('alternate');
    expect(server.clients()).toHaveLength(1);
    expect(server.clients()[0]).toMatch(/ 100x30$/);
  });

  it('passes typing and Ctrl-C to the pane', async () => {
    const tty = await attached();
    tty.send('sleep 30\r');
    await until(() => server.capture('s1').includes('sleep 30'), 20_000, 'sleep typed');
    tty.send('\u0003');
    tty.send('echo typed-$((1+1))\r');
    await until(() => server.capture('s1').includes('typed-2'), 20_000, 'the echo ran after Ctrl-C');
    expect(tty.exited()).toBe(false);
  });

  it('forwards a resize to the pane tty', async () => {
    const tty = await attached({ cols: 100, rows: 30 });
    tty.resize(120, 30);
    const paneTty = server.run(['display-message', '-p', '-t', '=s1:', '#{pane_tty}']).trim();
    await until(
      () => execFileSync('stty', ['-F', paneTty, 'size'], { encoding: 'utf8' }).trim() === '29 120',
      10_000,
      'pane tty 29 120',
    );
  });

  for (const [label, key] of [
    ['raw byte', '\u0011'],
    ['CSI-u', '\u001b[113;5u'],
    ['CSI-u with Num Lock', '\u001b[113;133u'],
    ['modifyOtherKeys', '\u001b[27;5;113~'],
  ] as const) {
    it(`detaches on the ${label} encoding, leaving the session alive`, async () => {
      const tty = await attached();
      tty.send(key);
      const code = await tty.exit;
      expect(code).toBe(0);
      expect(server.ok(['has-session', '-t', '=s1'])).toBe(true);
      expect(server.clients()).toEqual([]);
      expect(tty.bufferType()).toBe('normal');
      expect(tty.screen().join('\n')).toMatch(/back from s1/);
      expect(tty.screen().join('\n')).not.toMatch(/\[detached/);
    });
  }

  it('delivers the keys typed before the detach key, and none after it', async () => {
    const tty = await attached();
    tty.send('echo before\u0011echo after\r');
    await tty.exit;
    const pane = server.capture('s1');
    expect(pane).toContain('echo before');
    expect(pane).not.toContain('echo after');
  });

  it('returns with session_ended when the session is killed while attached', async () => {
    const tty = await attached();
    server.addSession('keeper'); // keep the server up when s1 goes
    server.run(['kill-session', '-t', '=s1']);
    expect(await tty.exit).toBe(0);
    expect(tty.output()).toMatch(/s1 ended while attached/);
  });

  it('works nested inside another tmux', async () => {
    const tty = await attached({ env: { TMUX: '/tmp/elsewhere,1,0', TMUX_PANE: '%9' } });
    tty.send('\u0011');
    expect(await tty.exit).toBe(0);
  });

  it('gives the shell back in cooked mode', async () => {
    server.run(['send-keys', '-t', '=s1:', 'echo mark-$((40+2))', 'Enter']);
    const tty = spawnTty(
      'bash',
      ['--norc', '--noprofile', '-c', `${AGENTMUX_BIN} attach s1 --bundle ${BUNDLE}; stty -a`],
      {
        env: cliEnv(roots),
      },
    );
    ttys.push(tty);
    await tty.waitFor(/mark-42/, 10_000);
    await until(() => server.clients().length === 1, 20_000, 'one client');
    tty.send('\u0011');
    await tty.exit;
    const text = tty.output();
    expect(text).toMatch(/(?<![-\w])icanon/);
    expect(text).toMatch(/(?<![-\w])echo(?!\w)/);
    expect(text).toMatch(/(?<![-\w])isig/);
  });

  it('detaches during a 50 MB flood, before the flood ends', async () => {
    const tty = await attached();
    tty.send('head -c 50000000 /dev/zero | tr "\\0" x; echo; echo flood-$((6*7))-done\r');
    await until(() => /x{20}/.test(server.capture('s1')), 10_000, 'the flood on screen');
    expect(server.capture('s1')).not.toContain('flood-42-done');
    tty.send('\u0011');
    expect(await tty.exit).toBe(0);
    expect(server.clients()).toEqual([]);
    await until(() => server.capture('s1').includes('flood-42-done'), 60_000, 'the flood to end');
  });

  it('a plain tmux attach on the private server also leaves with the key', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const tty = spawnTty('tmux', ['-S', server.socket, 'attach-session', '-t', '=s1'], { env });
    ttys.push(tty);
    await until(() => server.clients().length === 1, 20_000, 'one client');
    await new Promise((resolve) => setTimeout(resolve, 100));
    tty.send('\u0011');
    expect(await tty.exit).toBe(0);
    expect(server.clients()).toEqual([]);
    expect(server.ok(['has-session', '-t', '=s1'])).toBe(true);
  });

  it('on SIGTERM gives the terminal back and leaves the session running', async () => {
    server.run(['send-keys', '-t', '=s1:', 'echo mark-$((40+2))', 'Enter']);
    const shell = `${AGENTMUX_BIN} attach s1 --bundle ${BUNDLE}; echo "code $?"; stty -a`;
    const tty = spawnTty('bash', ['--norc', '--noprofile', '-c', shell], { env: cliEnv(roots) });
    ttys.push(tty);
    await tty.waitFor(/mark-42/, 10_000);
    await until(() => server.clients().length === 1, 20_000, 'one client');
    // The tmux client's parent is the agentmux process.
    const clientPid = server.run(['list-clients', '-F', '#{client_pid}']).trim();
    const stat = readFileSync(`/proc/${clientPid}/stat`, 'utf8');
    const agentmuxPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    process.kill(agentmuxPid, 'SIGTERM');
    await tty.exit;
    const text = tty.output();
    expect(text).toMatch(/code 143/);
    expect(text).toMatch(/(?<![-\w])icanon/);
    expect(text).toMatch(/(?<![-\w])isig/);
    expect(server.ok(['has-session', '-t', '=s1'])).toBe(true);
    await until(() => server.clients().length === 0, 20_000, 'no client');
  });

  it('fails with a hint when the session is not running', async () => {
    server.run(['kill-session', '-t', '=s1']);
    server.stop();
    const tty = open();
    expect(await tty.exit).not.toBe(0);
    expect(tty.output()).toMatch(/runtime_target_unavailable/);
  });
});
