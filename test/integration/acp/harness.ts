// Starts an ACP team behind a real relay (the built CLI) and tears it down, checking that no
// agent process outlives `down`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import type { InboxMessage, SendResult, SessionOutcome } from '../../../src/core/protocol/index.js';
import { runCli, stopRelay, type CliResult } from '../../helpers/cli.js';
import { connectTo } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { writeAcpTeam, type AcpAgentSpec, type AcpTeam } from './acp-team.js';

export const BUNDLE = 'crew';

export interface AcpHarness {
  roots: TempRoots;
  team: AcpTeam;
  /** The outcomes of the initial `up`. */
  started: SessionOutcome[];
  cli(args: string[], options?: { as?: string; timeoutMs?: number }): Promise<CliResult>;
  /** A hello'd client (operator `user` by default); closed by `stop`. */
  client(session?: string, role?: 'agent' | 'operator'): Promise<RelayClient>;
  /** Sends from `client`, waiting up to `waitMs` for every delivery to finish. */
  send(client: RelayClient, to: string[], body: string, waitMs?: number): Promise<SendResult>;
  /** The unread replies in `client`'s inbox. */
  inbox(client: RelayClient): Promise<InboxMessage[]>;
  /** Live processes started for this team's agents. */
  agentPids(): number[];
  stop(): Promise<void>;
}

/** Writes the team, runs `up --json` (unless `up: false`), and returns the harness. */
export async function startAcpTeam(
  agents: AcpAgentSpec[],
  plain: string[] = [],
  options: { autostart?: boolean; up?: boolean } = {},
): Promise<AcpHarness> {
  const roots = makeTempRoots('acp');
  const team = writeAcpTeam(roots, BUNDLE, agents, plain, { autostart: options.autostart ?? false });
  const clients: RelayClient[] = [];
  const cli = (args: string[], options: { as?: string; timeoutMs?: number } = {}): Promise<CliResult> =>
    runCli(roots, [...args, '--bundle', BUNDLE, ...(options.as ? ['--as-session', options.as] : [])], {
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  const marker = `ACP_TEST_LOG=${roots.root}/`;
  const agentPids = (): number[] =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          const environ = readFileSync(`/proc/${name}/environ`, 'utf8');
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          return environ.includes(marker) && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
        } catch {
          return false;
        }
      })
      .map(Number);
  let started: SessionOutcome[] = [];
  if (options.up ?? true) {
    const up = await cli(['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    started = (JSON.parse(up.stdout) as { sessions: SessionOutcome[] }).sessions;
  }
  const harness: AcpHarness = {
    roots,
    team,
    started,
    cli,
    async client(session = 'user', role = session === 'user' ? 'operator' : 'agent') {
      const client = await connectTo(roots, BUNDLE, session, role);
      clients.push(client);
      return client;
    },
    send(client, to, body, waitMs) {
      return client.request(
        'send',
        { to, body, ...(waitMs === undefined ? {} : { wait_ms: waitMs }) },
        { timeoutMs: (waitMs ?? 0) + 15_000 },
      );
    },
    async inbox(client) {
      return (await client.request('inbox.fetch', { unread_only: true, mark_read: true })).messages;
    },
    agentPids,
    async stop() {
      for (const client of clients.splice(0)) client.close();
      await cli(['down', '--no-autostart']);
      await stopRelay(roots, BUNDLE);
      const leftovers = agentPids();
      for (const pid of leftovers) process.kill(pid, 'SIGKILL');
      roots.cleanup();
      expect(leftovers, 'agent processes left after down').toEqual([]);
    },
  };
  return harness;
}

/** The relay log of the harness's bundle, as parsed JSON lines. */
export function relayLog(harness: AcpHarness): Record<string, unknown>[] {
  return readFileSync(join(harness.roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
