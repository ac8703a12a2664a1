// Ending an agent for good: everything its pane started (and any process carrying its
// instance marker), then the tmux session itself.
import { agentProcesses, endProcesses } from '../../runtime/index.js';
import type { TmuxRunner } from './runner.js';
import type { TmuxServer } from './tmux-server.js';

/** Kills the session's process tree and the session; returns the pids that were signalled. */
export async function endPaneProcesses(
  server: TmuxServer,
  runner: TmuxRunner,
  session: string,
  paneId: string | undefined,
): Promise<number[]> {
  const info = paneId === undefined ? null : await server.paneInfo(paneId).catch(() => null);
  const instance = await runner
    .run(['show-options', '-v', '-t', `=${session}:`, '@agentmux_instance'])
    .then((r) => (r.code === 0 ? r.stdout.trim() : undefined))
    .catch(() => undefined);
  // A dead pane's pid may already belong to another process.
  const pids = agentProcesses(info?.dead === true ? undefined : info?.pid, instance || undefined);
  await server.killSession(session).catch(() => undefined);
  return endProcesses(pids);
}
