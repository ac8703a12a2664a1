// Draws the dashboard in this terminal: alternate screen, bracketed paste, the ink app, and a
// clean terminal again on exit or SIGINT/SIGTERM/SIGHUP. Loaded by start-tui.ts once the
// relay link is already on its way (this module brings ink and react).
import { render } from 'ink';
import { createElement } from 'react';
import { loadBundle, loadTui } from '../config/load.js';
import type { Roots } from '../config/index.js';
import { bundlePaths } from '../runtime/index.js';
import { createDashboardAttach } from './attach/index.js';
import { AgentManagerContext } from './agent-manager.js';
import { App } from './components/App.js';
import { RelayProvider } from './components/RelayProvider.js';
import type { RelayFeed } from './link/relay-feed.js';
import type { TuiOptions } from './start-tui.js';
import { WorktreeProbeContext, type WorktreeProbe } from './worktree-context.js';

const ALTERNATE_SCREEN_ON = '\u001b[?1049h';
const ALTERNATE_SCREEN_OFF = '\u001b[?1049l';
const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Draws the dashboard from `feed` (started, its state so far is the first frame) until the user
 * quits (Ctrl-C) or the process is told to stop; resolves with the exit code.
 */
export async function renderTui(options: TuiOptions, feed: RelayFeed): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  stdout.write(ALTERNATE_SCREEN_ON + BRACKETED_PASTE_ON);
  const restore = (): void => {
    stdout.write(BRACKETED_PASTE_OFF + SHOW_CURSOR + ALTERNATE_SCREEN_OFF);
  };
  // Enter or o on a session hands the terminal to its pane; ink writes through the gate.
  const attach = createDashboardAttach({
    socketPath: bundlePaths(options.roots.stateDir, options.bundle).tmuxSocket,
    detachKey: options.detachKey ?? loadTui(options.roots.configDir).detachKey,
    stdin,
    stdout,
  });
  const probe = options.worktrees === undefined ? worktreeProbe(options.roots, options.bundle) : options.worktrees;
  const instance = render(
    createElement(
      AgentManagerContext.Provider,
      { value: options.agents ?? null },
      createElement(
        WorktreeProbeContext.Provider,
        { value: probe },
        createElement(RelayProvider, {
          feed,
          bundle: options.bundle,
          self: options.session,
          children: createElement(App, { attach }),
        }),
      ),
    ),
    { stdout: attach.gate.stream, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 30 },
  );
  const stop = (): void => instance.unmount();
  // Ctrl-C arrives as a key in raw mode; these come from outside (kill, a closed terminal).
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, stop);
  try {
    await instance.waitUntilExit();
    return 0;
  } finally {
    for (const signal of signals) process.off(signal, stop);
    restore();
  }
}

// The bundle file is read on every probe so agents added while the dashboard runs show up. The
// worktree code (and the configuration modules it brings) loads with the first probe, after the
// first frame.
function worktreeProbe(roots: Roots, bundle: string): WorktreeProbe | null {
  const uses = (): boolean => {
    try {
      return loadBundle(roots.configDir, bundle).sessions.some((session) => session.worktree === true);
    } catch {
      return false;
    }
  };
  if (!uses()) return null;
  return async () => {
    const { worktreeSummaries } = await import('../workspace/index.js');
    return worktreeSummaries(loadBundle(roots.configDir, bundle), roots.stateDir);
  };
}
