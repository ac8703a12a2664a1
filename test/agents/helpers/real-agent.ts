// One real agent CLI started through `agentmux up` with its shipped preset, in the bundle's
// private tmux server, talking to a loopback model server: the CLI bound to the roots, the
// agent's state, screen and processes, and a stop() that proves `down` left nothing behind.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODER_PRESETS } from '../../../src/config/index.js';
import { renderCodersToml } from '../../../src/config/render-toml.js';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/model-server.js';
import { AGENTMUX_BIN, cliEnv, stopRelay, writeBundle, type CliResult } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { prepareAgentHome } from './homes.js';
import type { AgentCli } from './tools.js';

/** The bundle every real agent runs in, and the agent's session id. */
export const BUNDLE = 'real';
export const AGENT = 'agent';
/**
 * A shell listed before the agent, as in any team: the relay's control client attaches to the
 * first session, and an attached client gives its panes focus (the private server sends focus
 * events). So the agent runs unfocused with no client on it, as every agent a human is not
 * looking at does (issue 22.1: unfocused Gemini parks its cursor at column 0).
 */
export const BYSTANDER = 'bystander';
const SHELL_CODER = ['', '[[coders]]', 'id = "shell"', '', '[coders.tmux]', 'initial-command = "sh"', ''];

/** The agent as `list --json` shows it. */
export interface AgentView {
  state: string;
  state_source: string;
  queued: number;
  reason: string | null;
}

/** A started agent. */
export interface RealAgent {
  cli: AgentCli;
  roots: TempRoots;
  project: string;
  home: string;
  model: ModelServer;
  /** `agentmux ...args --bundle real --as-session user`; `withPane` adds the pane environment (for `up`). */
  run: (args: string[], options?: { withPane?: boolean; timeoutMs?: number }) => Promise<CliResult>;
  /** `up --json` (optionally `--fresh`): the agent's outcome and command line. */
  up: (fresh?: boolean) => Promise<{ outcome: string; command: string }>;
  view: () => Promise<AgentView>;
  waitState: (state: string, timeoutMs?: number) => Promise<void>;
  /** The visible screen, trailing blank lines dropped. */
  screen: () => Promise<string>;
  tmux: (args: string[]) => Promise<CliResult>;
  /** Live processes started in the agent's pane (their environment has our HOME, an instance and the agent's id). */
  pids: () => number[];
  stop: () => Promise<void>;
}

/** Environment variables that make agent CLIs think they are not interactive. */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'BUILD_NUMBER', 'RUN_ID', 'TEAMCITY_VERSION'];

/** Writes the team (the preset's coder, unmodified), installs hooks, and starts the model server. */
export async function prepareRealAgent(cli: AgentCli, bin: string, delayMs = 0): Promise<RealAgent> {
  const roots = makeTempRoots(`ag-${cli}`);
  const project = join(roots.root, 'proj');
  mkdirSync(project, { recursive: true });
  execFileSync('git', ['init', '-q', project]);
  const realProject = realpathSync(project);
  const model = await startModelServer({ delayMs, logFile: join(roots.root, 'model-requests.jsonl') });
  const { home, env: homeEnv } = prepareAgentHome(cli, roots.root, realProject, model.url);
  const preset = CODER_PRESETS.find((p) => p.entry.id === cli);
  if (preset === undefined) throw new Error(`no preset ${cli}`);
  writeFileSync(join(roots.configDir, 'coders.toml'), renderCodersToml([preset]) + SHELL_CODER.join('\n'));
  writeBundle(roots, BUNDLE, [
    { id: BYSTANDER, coder: 'shell', directory: realProject },
    { id: AGENT, coder: cli, directory: realProject },
  ]);
  const paneEnv = { ...homeEnv, PATH: `${bin}:${process.env.PATH ?? ''}` };
  const tmuxSocket = join(roots.stateDir, 'bundles', BUNDLE, 'tmux.sock');

  const run = (args: string[], options: { withPane?: boolean; timeoutMs?: number } = {}): Promise<CliResult> =>
    runAgentmux(
      roots,
      [...args, '--bundle', BUNDLE, '--as-session', 'user'],
      options.withPane ? paneEnv : {},
      options.timeoutMs,
    );
  const view = async (): Promise<AgentView> => {
    const listed = await run(['list', '--json']);
    const sessions = (JSON.parse(listed.stdout || '{"sessions":[]}') as { sessions: (AgentView & { id: string })[] })
      .sessions;
    return sessions.find((s) => s.id === AGENT) ?? { state: 'missing', state_source: '', queued: 0, reason: null };
  };
  const tmux = (args: string[]): Promise<CliResult> => runProcess('tmux', ['-S', tmuxSocket, ...args], process.env);
  const pids = (): number[] => pidsWith([`HOME=${home}`, 'AGENTMUX_INSTANCE=', `AGENTMUX_SESSION=${AGENT}`]);

  const hooks = await runAgentmux(roots, ['hooks', 'install', '--client', cli, '--dir', realProject], paneEnv);
  if (hooks.code !== 0) throw new Error(`hooks install failed: ${hooks.stderr}`);

  return {
    cli,
    roots,
    project: realProject,
    home,
    model,
    run,
    up: async (fresh = false) => {
      const up = await run(['up', '--json', ...(fresh ? ['--fresh'] : [])], { withPane: true, timeoutMs: 60_000 });
      if (up.code !== 0) throw new Error(`up failed: ${up.stdout}${up.stderr}`);
      const sessions = (JSON.parse(up.stdout) as { sessions: { id: string; outcome: string; command?: string }[] })
        .sessions;
      const mine = sessions.find((s) => s.id === AGENT);
      return { outcome: mine?.outcome ?? 'missing', command: mine?.command ?? '' };
    },
    view,
    waitState: (state, timeoutMs = 60_000) =>
      waitFor(async () => (await view()).state === state, timeoutMs, `${cli} ${state}`),
    screen: async () => (await tmux(['capture-pane', '-p', '-t', `=${AGENT}:`])).stdout.replace(/\n+$/, ''),
    tmux,
    pids,
    stop: async () => {
      await run(['down', '--no-autostart']).catch(() => undefined);
      await stopRelay(roots, BUNDLE);
      await tmux(['kill-server']);
      for (const pid of pids()) killQuietly(pid);
      await model.close();
      roots.cleanup();
    },
  };
}

/** Runs the built CLI with the test roots, `extra` on top, and no CI markers. */
export function runAgentmux(
  roots: TempRoots,
  args: string[],
  extra: Record<string, string>,
  timeoutMs = 30_000,
): Promise<CliResult> {
  const env = cliEnv(roots, extra);
  for (const name of CI_VARIABLES) delete env[name];
  return runProcess(AGENTMUX_BIN, args, env, timeoutMs);
}

function runProcess(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** Live (non-zombie) processes whose environment has an entry starting with each of `prefixes`. */
export function pidsWith(prefixes: string[]): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!prefixes.every((prefix) => environ.some((entry) => entry.startsWith(prefix)))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited meanwhile
  }
}
