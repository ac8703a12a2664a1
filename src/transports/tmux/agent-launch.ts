// Starting one agent's pane for `up`: its directory (its worktree, else the caller's), its
// command (resume or fresh), its environment kept off the command line, and the instance
// marker that later finds every process it started.
import { existsSync } from 'node:fs';
import type { Member, TmuxCoder } from '../../config/index.js';
import { prepareWorkdir } from '../../workspace/index.js';
import type { TmuxRunner } from './runner.js';
import { paneEnvironment, paneLaunch, removePaneEnvFile, sessionCommand, type UpRequest } from './session-launch.js';
import type { TmuxTransportOptions } from './tmux-transport-options.js';
import type { TmuxServer } from './tmux-server.js';

export interface AgentLaunchDeps {
  server: TmuxServer;
  runner: TmuxRunner;
  options: Pick<TmuxTransportOptions, 'team' | 'roots' | 'paths' | 'entryPoint' | 'conversationId' | 'credentialFor'>;
}

/** A started pane, or why none was started (a missing directory). */
export type AgentLaunch = { paneId: string; command: string } | { failed: string };

/** Starts the agent's tmux session; tmux errors are thrown, as `up` reports them per session. */
export async function launchAgentPane(
  deps: AgentLaunchDeps,
  member: Member & { coder: TmuxCoder },
  request: UpRequest,
  instance: string,
): Promise<AgentLaunch> {
  const { options } = deps;
  const directory = member.session
    ? await prepareWorkdir({
        bundle: options.team.bundle,
        session: member.session,
        stateDir: options.roots.stateDir,
        hooks: member.coder.hooks,
        entryPoint: options.entryPoint,
      })
    : (request.cwd ?? process.cwd());
  if (!existsSync(directory)) return { failed: `directory ${directory} does not exist` };
  // --fresh also overrides a coder-session-id in the bundle: it is the way out of a failing resume.
  const command = request.fresh
    ? member.coder.initialCommand
    : sessionCommand(member, options.conversationId(member.id));
  const env = paneEnvironment({
    request,
    member,
    bundle: options.team.bundle.id,
    roots: options.roots,
    entryPoint: options.entryPoint,
    instance,
    credential: options.credentialFor?.(member.id),
  });
  const launch = paneLaunch(options.paths.dir, member.id, command, env);
  // A server started from an older tmux.conf would drop the pane of an agent that exits.
  await deps.server.setGlobalOption('remain-on-exit', 'on');
  let paneId: string;
  try {
    ({ paneId } = await deps.server.newSession({
      id: member.id,
      cwd: directory,
      command,
      argv: launch.argv,
      env: launch.env,
      width: request.cols ?? 200,
      height: request.rows ?? 50,
    }));
  } catch (error) {
    removePaneEnvFile(launch.envFile);
    throw error;
  }
  await deps.runner.run(['set-option', '-t', `=${member.id}:`, '@agentmux_instance', instance]);
  return { paneId, command };
}
