// A bundle of scripted agents (examples/scripted-agent.mjs) in tmux panes, for end-to-end tests
// of the relay's tmux delivery: one coder per agent so each has its own name, log and timing.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBundle, type CliResult } from './cli.js';
import type { TempRoots } from './temp-roots.js';

/** Absolute path of the offline stand-in agent. */
export const SCRIPTED_AGENT_PATH = resolve(import.meta.dirname, '../../examples/scripted-agent.mjs');

/** One agent of the team; defaults: think 300 ms, no replies, SCRIPTED_CODER timing. */
export interface ScriptedAgentSpec {
  id: string;
  thinkMs?: number;
  reply?: boolean;
  quietWindowMs?: number;
  submitDelayMs?: number;
  /** Extra `[coders.tmux]` environment entries. */
  env?: Record<string, string>;
  /** Extra `[coders.tmux]` lines, e.g. `paste = false`. */
  coderLines?: string[];
  /** Sessions this agent supervises (`"*"`: every other agent). */
  supervise?: string[];
}

/** One prompt the scripted agent submitted (a line of its AGENT_LOG). */
export interface LoggedPrompt {
  at: string;
  text: string;
}

/** A written team: where its files live and how to read what the agents saw. */
export interface ScriptedTeam {
  bundle: string;
  agents: string[];
  /** The bundle's private tmux socket (exists once the relay has run `up`). */
  tmuxSocket: string;
  /** The AGENT_LOG file of `agent`. */
  logOf: (agent: string) => string;
  /** The prompts `agent` has submitted so far, oldest first. */
  logged: (agent: string) => LoggedPrompt[];
  /** Runs `tmux -S <tmuxSocket> ...args` (never the default server). */
  tmux: (args: string[]) => Promise<CliResult>;
  /** Live processes started for this team's agents (their environment names one of our logs). */
  agentPids: () => number[];
}

/** Timing shared by every scripted coder; fast enough for tests, slow enough to be observable. */
export const SCRIPTED_CODER = { quietWindowMs: 300, submitDelayMs: 50 } as const;

const toml = (value: string): string => JSON.stringify(value);
const shellWord = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Writes coders.toml, bundles/<bundle>.toml and tui.toml (operator `user`) into `roots`. */
export function writeScriptedTeam(roots: TempRoots, bundle: string, agents: ScriptedAgentSpec[]): ScriptedTeam {
  const logOf = (agent: string): string => join(roots.root, `${agent}.agent-log.jsonl`);
  const lines = ['format-version = 1', ''];
  for (const agent of agents) {
    const env: Record<string, string> = {
      AGENT_NAME: agent.id,
      AGENT_LOG: logOf(agent.id),
      AGENT_THINK_MS: String(agent.thinkMs ?? 300),
      ...(agent.reply ? { AGENT_REPLY: '1' } : {}),
      ...agent.env,
    };
    const environment = Object.entries(env).map(([name, value]) => `{ name = ${toml(name)}, value = ${toml(value)} }`);
    lines.push(
      '[[coders]]',
      `id = ${toml(`scripted-${agent.id}`)}`,
      '[coders.tmux]',
      `initial-command = ${toml(`${shellWord(process.execPath)} ${shellWord(SCRIPTED_AGENT_PATH)}`)}`,
      `prompt-regex = ${toml('(?m)^agent>$')}`,
      `busy-regex = ${toml('thinking…')}`,
      `quiet-window-ms = ${agent.quietWindowMs ?? SCRIPTED_CODER.quietWindowMs}`,
      `submit-delay-ms = ${agent.submitDelayMs ?? SCRIPTED_CODER.submitDelayMs}`,
      `environment = [${environment.join(', ')}]`,
      ...(agent.coderLines ?? []),
      '',
    );
  }
  writeFileSync(join(roots.configDir, 'coders.toml'), lines.join('\n'));
  writeBundle(
    roots,
    bundle,
    agents.map((agent) => ({
      id: agent.id,
      coder: `scripted-${agent.id}`,
      ...(agent.supervise ? { supervise: agent.supervise } : {}),
    })),
  );
  const tmuxSocket = join(roots.stateDir, 'bundles', bundle, 'tmux.sock');
  return {
    bundle,
    agents: agents.map((agent) => agent.id),
    tmuxSocket,
    logOf,
    logged: (agent) => readLog(logOf(agent)),
    tmux: (args) => runTmux(tmuxSocket, args),
    agentPids: () => pidsWithEnv(`AGENT_LOG=${roots.root}/`),
  };
}

/** Live (non-zombie) processes whose environment has an entry starting with `prefix`. */
export function pidsWithEnv(prefix: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (!environ.split('\0').some((entry) => entry.startsWith(prefix))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push(pid);
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

function readLog(path: string): LoggedPrompt[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedPrompt);
}

function runTmux(socket: string, args: string[]): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile('tmux', ['-S', socket, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}
