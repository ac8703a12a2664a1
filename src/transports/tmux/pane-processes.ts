// An agent's processes: ending it for good (everything its pane started and any process
// carrying its instance marker, then the tmux session), and finding every agent's pane process.
import { agentProcesses, endProcesses } from '../../runtime/index.js';
import type { AgentProcessRoot } from '../../runtime/peer-process.js';
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

/** The pane process (and instance marker) of every running agent the bundle has. */
export async function listAgentRoots(
  runner: TmuxRunner,
  isMember: (session: string) => boolean,
): Promise<AgentProcessRoot[]> {
  const listed = await runner.run(['list-panes', '-a', '-F', '#{session_name} #{pane_pid} #{@agentmux_instance}']);
  if (listed.code !== 0) return [];
  const roots: AgentProcessRoot[] = [];
  for (const line of listed.stdout.split('\n')) {
    const [session, pid, instance] = line.trim().split(' ');
    if (session === undefined || !isMember(session) || !/^\d+$/.test(pid ?? '')) continue;
    roots.push({ session, pid: Number(pid), ...(instance ? { instance } : {}) });
  }
  return roots;
}
