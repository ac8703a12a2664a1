// A private tmux server per test under the run's temp root (never the default server, never -L).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxServer } from '../../../src/transports/tmux/tmux-server.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

/** The scripted agent, for panes that should behave like an agent CLI. */
export const SCRIPTED_AGENT = fileURLToPath(new URL('../../../examples/scripted-agent.mjs', import.meta.url));

export interface TmuxFixture {
  roots: TempRoots;
  /** The bundle runtime dir (0700): socket, conf and paste files live here. */
  runtimeDir: string;
  socket: string;
  confPath: string;
  server: TmuxServer;
  /** Kills the server and removes the temp dirs. */
  cleanup(): Promise<void>;
}

/** A TmuxServer on a fresh socket; nothing runs until the first newSession. */
export function makeTmuxFixture(options: { userConf?: string; detachKey?: string } = {}): TmuxFixture {
  const roots = makeTempRoots('tmux');
  const runtimeDir = join(roots.stateDir, 'bundles', 'b');
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  const socket = join(runtimeDir, 'tmux.sock');
  const confPath = join(runtimeDir, 'tmux.conf');
  const server = new TmuxServer({ socket, confPath, ...options });
  return {
    roots,
    runtimeDir,
    socket,
    confPath,
    server,
    cleanup: async () => {
      try {
        await server.killServer();
      } finally {
        server.close();
        roots.cleanup();
      }
    },
  };
}

/** A shell command line for `argv` (single-quoted words). */
export function shellCommand(argv: string[]): string {
  return argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : JSON.stringify(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === '' ? '' : `: ${last}`}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
