// A started team of scripted agents for the tmux end-to-end tests: the CLI bound to its roots
// and bundle, screen and history readers, and a stop() that proves `down` left nothing behind.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { runCli, stopRelay, type CliResult } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { writeScriptedTeam, type ScriptedAgentSpec, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

/** The bundle every crew runs in. */
export const BUNDLE = 'crew';

/** One session's line of an `up`/`down --json` answer. */
export interface Outcome {
  id: string;
  outcome: string;
  pane_id?: string;
  pids?: number[];
}

/** `send --json`. */
export interface SendJson {
  message_id: string;
  results: { target: string; outcome: string; reason?: string }[];
}

/** One message of `history --json`. */
export interface HistoryJson {
  id: string;
  from: string;
  body: string;
  deliveries: { recipient: string; state: string; reason: string | null }[];
}

/** A team that `up` has started; every helper targets its roots and bundle. */
export interface Crew {
  roots: TempRoots;
  team: ScriptedTeam;
  /** Pane id of each agent as `up` reported it. */
  panes: Map<string, string>;
  /** `agentmux ...args --bundle crew [--as-session as]`. */
  cli: (args: string[], options?: { as?: string }) => Promise<CliResult>;
  /** Sends as the operator; with `wait`, waits for delivery. Fails the test unless exit 0. */
  send: (target: string, body: string, wait?: boolean) => Promise<SendJson>;
  /** The agent's visible screen (trailing blank lines dropped). */
  screen: (agent: string) => Promise<string[]>;
  waitForScreen: (agent: string, test: (lines: string[]) => boolean, timeoutMs?: number) => Promise<void>;
  history: () => Promise<HistoryJson[]>;
  /** A client library connection as the operator, closed by stop(). */
  operatorClient: () => Promise<RelayClient>;
  /** `down`, relay stop, then fails if any agent process outlived `down` (killing it anyway). */
  stop: () => Promise<void>;
}

/** Writes the team, runs `up`, and waits until every agent shows its prompt. */
export async function startCrew(agents: ScriptedAgentSpec[]): Promise<Crew> {
  const roots = makeTempRoots('tmx');
  const team = writeScriptedTeam(roots, BUNDLE, agents);
  const clients: RelayClient[] = [];
  const cli = (args: string[], options: { as?: string } = {}): Promise<CliResult> =>
    runCli(roots, [...args, '--bundle', BUNDLE, ...(options.as === undefined ? [] : ['--as-session', options.as])], {
      timeoutMs: 60_000,
    });
  const screen = async (agent: string): Promise<string[]> =>
    (await team.tmux(['capture-pane', '-p', '-t', `=${agent}:`])).stdout.replace(/\n+$/, '').split('\n');
  const crew: Crew = {
    roots,
    team,
    panes: new Map(),
    cli,
    screen,
    send: async (target, body, wait = true) => {
      const flags = wait ? ['--wait', '--timeout-ms', '30000'] : [];
      const result = await cli(['send', '-t', target, '-m', body, '--json', ...flags]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as SendJson;
    },
    waitForScreen: async (agent, test, timeoutMs = 10_000) => {
      await waitFor(async () => test(await screen(agent)), timeoutMs, `${agent}'s screen`);
    },
    history: async () => {
      const result = await cli(['history', '--json', '--limit', '500']);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as HistoryJson[];
    },
    operatorClient: async () => {
      const client = await connectTo(roots, BUNDLE, 'user', 'operator');
      clients.push(client);
      return client;
    },
    stop: () => stopCrew(roots, team, clients),
  };
  try {
    const up = await cli(['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    for (const s of (JSON.parse(up.stdout) as { sessions: Outcome[] }).sessions) crew.panes.set(s.id, s.pane_id ?? '');
    for (const agent of agents) await crew.waitForScreen(agent.id, (lines) => lines.at(-1) === 'agent>');
  } catch (error) {
    await stopCrew(roots, team, clients).catch(() => undefined);
    throw error;
  }
  return crew;
}

async function stopCrew(roots: TempRoots, team: ScriptedTeam, clients: RelayClient[]): Promise<void> {
  for (const client of clients.splice(0)) client.close();
  const down = await runCli(roots, ['down', '--bundle', BUNDLE, '--no-autostart']);
  await stopRelay(roots, BUNDLE);
  // `down` must end every agent; the server kill and SIGKILL below are only a safety net.
  const leftovers = await waitFor(() => team.agentPids().length === 0, 5_000).then(
    () => [],
    () => team.agentPids(),
  );
  await team.tmux(['kill-server']);
  for (const pid of team.agentPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  roots.cleanup();
  expect(leftovers, `agent processes left after down (${down.stdout}${down.stderr})`).toEqual([]);
}

/** True while `pid` runs (a zombie has ended; only its parent has not collected it yet). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** How often `part` occurs in `text`. */
export const occurrences = (text: string, part: string): number => text.split(part).length - 1;
