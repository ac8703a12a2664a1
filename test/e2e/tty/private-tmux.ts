// A bundle's private tmux server for TTY tests, set up as agentmux sets it up (its generated
// tmux.conf, with the detach key bound), one socket per test, plain shells as the "agents".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundlePaths } from '../../../src/runtime/index.js';
import { renderTmuxConf } from '../../../src/transports/tmux/tmux-conf.js';
import { writeBundle } from '../../helpers/cli.js';
import type { TempRoots } from '../../helpers/temp-roots.js';

export interface PrivateTmux {
  readonly socket: string;
  /** Runs a tmux command on this server; returns stdout (throws on failure). */
  run(args: string[]): string;
  /** True when the command succeeds. */
  ok(args: string[]): boolean;
  /** The pane's visible text. */
  capture(session: string): string;
  /** The attached (non-control) clients: `tty widthxheight` each. */
  clients(): string[];
  /** Starts another session running a plain shell. */
  addSession(id: string, cols?: number, rows?: number): void;
  stop(): void;
}

/** Writes a bundle with these sessions and starts its private server with one shell each. */
export function startPrivateTmux(roots: TempRoots, bundle: string, sessions: string[], detachKey = 'C-q'): PrivateTmux {
  const coder = [
    'format-version = 1',
    '[[coders]]',
    'id = "shell"',
    '[coders.tmux]',
    'initial-command = "bash --norc --noprofile"',
  ];
  writeFileSync(join(roots.configDir, 'coders.toml'), `${[...coder, "prompt-regex = '\\$ $'", ''].join('\n')}`);
  writeBundle(
    roots,
    bundle,
    sessions.map((id) => ({ id, coder: 'shell' })),
  );
  const socket = bundlePaths(roots.stateDir, bundle).tmuxSocket;
  mkdirSync(dirname(socket), { recursive: true, mode: 0o700 });
  const conf = join(dirname(socket), 'tmux.conf');
  writeFileSync(conf, renderTmuxConf({ detachKey }));
  const env: NodeJS.ProcessEnv = { ...process.env, PS1: '$ ', HOME: roots.root };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const run = (args: string[]): string =>
    execFileSync('tmux', ['-S', socket, '-f', conf, ...args], { env, encoding: 'utf8', timeout: 10_000 });
  const addSession = (id: string, cols = 80, rows = 24): void => {
    run(['new-session', '-d', '-s', id, '-x', String(cols), '-y', String(rows), 'bash', '--norc', '--noprofile']);
  };
  for (const id of sessions) addSession(id);
  return {
    socket,
    run,
    ok: (args) => spawnSync('tmux', ['-S', socket, ...args], { stdio: 'ignore', timeout: 10_000 }).status === 0,
    capture: (session) => run(['capture-pane', '-p', '-t', `=${session}:`]),
    clients: () =>
      run(['list-clients', '-F', '#{client_control_mode} #{client_tty} #{client_width}x#{client_height}'])
        .split('\n')
        .filter((line) => line.startsWith('0 '))
        .map((line) => line.slice(2)),
    addSession,
    stop: () => {
      spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore', timeout: 10_000 });
      // The server removes its socket as it goes; wait, so the test's directory can be removed.
      const deadline = Date.now() + 2000;
      while (existsSync(socket) && Date.now() < deadline) spawnSync('sleep', ['0.02']);
    },
  };
}
