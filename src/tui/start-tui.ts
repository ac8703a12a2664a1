// Starts the dashboard: connects to the relay and loads the roster and recent history while
// ink and react load (run-tui.ts, hundreds of milliseconds of module compiling), then draws
// the first frame from what arrived. This module must not import ink or react.
import type { RelayClient } from '../client/index.js';
import type { Roots } from '../config/index.js';
import type { AgentManager } from './agent-manager.js';
import { clientSource } from './link/client-source.js';
import type { RelaySource } from './link/connection.js';
import { RelayFeed } from './link/relay-feed.js';
import type { WorktreeProbe } from './worktree-context.js';

export interface TuiOptions {
  roots: Roots;
  bundle: string;
  /** The operator session (a tui.toml session). */
  session: string;
  /** Spawn the relay when none is listening. */
  autoStart: boolean;
  /** The agentmux entry point the relay is started with. */
  entryPoint: string;
  version: string;
  /** A connection opened before this module loaded (saves the relay start-up on first use). */
  early?: Promise<RelayClient>;
  /** Replaces the real relay connection (tests). */
  source?: RelaySource;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** tui.toml `detach-key` (default: read from tui.toml). */
  detachKey?: string;
  /** Reads the agents' worktrees (default: from the bundle file, when it has worktree sessions). */
  worktrees?: WorktreeProbe | null;
  /** Adds and removes agents (`n`, `x`); absent, the dashboard says it cannot. */
  agents?: AgentManager;
}

/**
 * Longest the first frame waits for the roster and history once the UI has loaded. A relay that
 * is up answers well within it; one being started (auto-start) may not, and the dashboard then
 * shows that it is connecting rather than a blank screen.
 */
export const FIRST_FRAME_WAIT_MS = 1000;

/** Runs until the user quits (Ctrl-C) or the process is told to stop; resolves with the exit code. */
export async function runTui(options: TuiOptions): Promise<number> {
  const source =
    options.source ??
    clientSource(
      {
        roots: options.roots,
        identity: { bundle: options.bundle, session: options.session, role: 'operator' },
        clientName: 'agentmux-tui',
        clientVersion: options.version,
        autoStart: options.autoStart,
        entryPoint: options.entryPoint,
      },
      options.early,
    );
  const feed = new RelayFeed({ source, bundle: options.bundle, self: options.session });
  feed.start();
  try {
    const { renderTui } = await import('./run-tui.js');
    await settledWithin(feed.ready, FIRST_FRAME_WAIT_MS);
    return await renderTui(options, feed);
  } finally {
    feed.stop();
  }
}

function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
