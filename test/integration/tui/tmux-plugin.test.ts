// tmux/agentmux.tmux on a user's own tmux (a private server here): it adds a `#(…)` widget
// to the status line, and a client attached to that server shows the status file's line while
// the relay in relay.lock lives, and "relay down" once it is gone (even after kill -9).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const PLUGIN = resolve(import.meta.dirname, '../../../tmux/agentmux.tmux');
let roots: TempRoots | undefined;
const sockets: string[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) await tmux(socket, ['kill-server']);
  roots?.cleanup();
  roots = undefined;
});

function tmux(socket: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env = { ...process.env, ...extraEnv };
  delete env.TMUX;
  return new Promise((done) => {
    execFile('tmux', ['-S', socket, ...args], { env, timeout: 10_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A private "user" tmux server with the plugin options set; returns its socket. */
async function userServer(
  r: TempRoots,
  options: Record<string, string>,
  env: Record<string, string> = {},
): Promise<string> {
  const socket = join(r.root, `user-${sockets.length}.sock`);
  sockets.push(socket);
  const started = await tmux(
    socket,
    ['-f', '/dev/null', 'new-session', '-d', '-s', 'work', '-x', '100', '-y', '8', 'sleep 600'],
    env,
  );
  expect(started.code).toBe(0);
  for (const [name, value] of Object.entries(options)) await tmux(socket, ['set-option', '-g', name, value]);
  return socket;
}

const loadPlugin = (socket: string) => tmux(socket, ['run-shell', PLUGIN]);
const option = async (socket: string, name: string) =>
  (await tmux(socket, ['show-option', '-gqv', name])).stdout.trim();

describe('tmux/agentmux.tmux', () => {
  it('shows the status file in the status bar, refreshed by tmux with a plain cat', async () => {
    roots = makeTempRoots('plugin');
    const dir = join(roots.stateDir, 'bundles', 'crew');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'status'), 'crew: alice ready\n');
    // A live "relay": this test process.
    writeFileSync(join(dir, 'relay.lock'), `${process.pid}\n`);
    const user = await userServer(roots, {
      '@agentmux-bundle': 'crew',
      '@agentmux-state-dir': roots.stateDir,
      'status-interval': '1',
    });
    expect((await loadPlugin(user)).code).toBe(0);
    const right = await option(user, 'status-right');
    expect(right).toContain(
      `#(p=\`cat '${join(dir, 'relay.lock')}' 2>/dev/null\`; kill -0 "$p" 2>/dev/null && cat '${join(dir, 'status')}' 2>/dev/null || echo 'crew: relay down')`,
    );
    expect(right.startsWith('#[fg=colour250]')).toBe(true);
    expect(Number(await option(user, 'status-right-length'))).toBeGreaterThanOrEqual(100);
    // A second load (tmux.conf sourced again) adds nothing.
    await loadPlugin(user);
    expect(await option(user, 'status-right')).toBe(right);

    // A real client of the user's server, inside a pane of another private server, shows the bar.
    const viewer = join(roots.root, 'viewer.sock');
    sockets.push(viewer);
    await tmux(viewer, [
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      'v',
      '-x',
      '100',
      '-y',
      '8',
      `env -u TMUX tmux -S '${user}' attach -t work`,
    ]);
    const bar = async (): Promise<string> =>
      (await tmux(viewer, ['capture-pane', '-p', '-t', 'v'])).stdout.trimEnd().split('\n').at(-1) ?? '';
    await waitFor(async () => (await bar()).includes('crew: alice ready'), 10_000, 'the widget');
    writeFileSync(join(dir, 'status'), 'crew: alice busy (2 queued)\n');
    await waitFor(async () => (await bar()).includes('crew: alice busy (2 queued)'), 10_000, 'the refreshed widget');

    // The relay dies without a word (kill -9): its status file stays, the widget says down.
    const relay = spawn('sleep', ['600'], { stdio: 'ignore' });
    const exited = new Promise((done) => relay.once('exit', done));
    writeFileSync(join(dir, 'relay.lock'), `${relay.pid}\n`);
    await waitFor(
      async () => (await bar()).includes('crew: alice busy (2 queued)'),
      10_000,
      'the widget of a live relay',
    );
    relay.kill('SIGKILL');
    await exited;
    await waitFor(async () => (await bar()).includes('crew: relay down'), 10_000, 'relay down after kill -9');
    expect(await bar()).not.toContain('alice busy');
  });

  it("reads default-bundle from the starter tui.toml's literal string", async () => {
    roots = makeTempRoots('plugin');
    writeFileSync(join(roots.configDir, 'tui.toml'), "format-version = 1\ndefault-bundle = 'crew'\n");
    const user = await userServer(
      roots,
      { '@agentmux-state-dir': roots.stateDir },
      { AGENTMUX_CONFIG_DIR: roots.configDir },
    );
    expect((await loadPlugin(user)).code).toBe(0);
    expect(await option(user, 'status-right')).toContain(`/bundles/crew/status'`);
  });

  it('honours position and style, and changes nothing without a bundle', async () => {
    roots = makeTempRoots('plugin');
    const left = await userServer(roots, {
      '@agentmux-bundle': 'ops',
      '@agentmux-position': 'left',
      '@agentmux-style': 'fg=red,bold',
      '@agentmux-state-dir': roots.stateDir,
    });
    const before = await option(left, 'status-right');
    await loadPlugin(left);
    expect(await option(left, 'status-left')).toMatch(
      /#\[fg=red,bold\]#\(p=`cat '[^']*\/bundles\/ops\/relay\.lock'.*cat '[^']*\/bundles\/ops\/status'.*#\[default\]$/,
    );
    expect(await option(left, 'status-right')).toBe(before);

    const home = await userServer(roots, { '@agentmux-bundle': 'ops', '@agentmux-state-dir': '~/agentmux-state' });
    await loadPlugin(home);
    expect(await option(home, 'status-right')).toContain(
      `cat '${process.env.HOME ?? ''}/agentmux-state/bundles/ops/status'`,
    );

    const none = await userServer(roots, { '@agentmux-state-dir': roots.stateDir });
    const untouched = await option(none, 'status-right');
    // No @agentmux-bundle and no tui.toml under an empty config dir.
    const env = { ...process.env, AGENTMUX_CONFIG_DIR: roots.configDir };
    await new Promise((done) => execFile('tmux', ['-S', none, 'run-shell', PLUGIN], { env }, done));
    expect(await option(none, 'status-right')).toBe(untouched);
  });
});
