// Cross-host delivery into a real tmux agent while every part fails once: the sender's leaf
// (kill -9 mid-stream), the hub (kill -9, restart), the receiver's leaf (restart), the
// sender's relay (kill -9 mid-bridge), then the receiver's relay. Checked against both
// journals: 0 lost, 0 duplicated, order kept.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayClient } from '../../../src/client/index.js';
import { relayPid, runCli } from '../../helpers/cli.js';
import { connectTo, waitFor } from '../../helpers/client.js';
import { natsSkipReason, type NatsServer } from '../../helpers/nats-servers.js';
import { writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import {
  historyOf,
  inboxOf,
  writeHostBundle,
  startTwoHosts,
  stopTwoHosts,
  type HostSide,
  type TwoHosts,
} from './two-hosts.js';

const skip = natsSkipReason();
const BUNDLE = 'team';

let hosts: TwoHosts;
let hub: NatsServer;
let laptop: HostSide;
let build: HostSide;
let team: ScriptedTeam;
const clients: RelayClient[] = [];

beforeEach(async () => {
  if (skip) return;
  hosts = await startTwoHosts('xfault');
  ({ hub, laptop, build } = hosts);
  const { leaves } = hosts;
  team = writeScriptedTeam(build.roots, BUNDLE, [{ id: 'alice', thinkMs: 10, quietWindowMs: 50, submitDelayMs: 20 }]);
  copyFileSync(join(build.roots.configDir, 'coders.toml'), join(laptop.roots.configDir, 'coders.toml'));
  const alice = '[[sessions]]\nid = "alice"\ndirectory = "/tmp"\nhost = "build"\ncoder = "scripted-alice"';
  for (const side of [laptop, build]) writeHostBundle(side.roots, BUNDLE, leaves, [alice]);
});

afterEach(async () => {
  if (skip) return;
  for (const client of clients.splice(0)) client.close();
  await as(build, 'user', ['down']).catch(() => undefined);
  await team.tmux(['kill-server']);
  await stopTwoHosts(hosts, BUNDLE);
});

const as = (side: HostSide, session: string, args: string[]) =>
  runCli(side.roots, [...args, '--bundle', BUNDLE, '--as-session', session], {
    env: { AGENTMUX_HOST: side.host },
    timeoutMs: 60_000,
  });

async function operator(side: HostSide): Promise<RelayClient> {
  const listed = await as(side, 'user', ['list', '--json']); // starts the relay with its AGENTMUX_HOST
  expect(listed.code, listed.stderr).toBe(0);
  const client = await connectTo(side.roots, BUNDLE, 'user');
  clients.push(client);
  return client;
}

describe.skipIf(skip !== undefined)(`cross-host faults${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('loses and duplicates nothing and keeps order through leaf, hub and relay kills', async () => {
    const up = await as(build, 'user', ['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    let client = await operator(laptop);
    const ids: string[] = [];
    const send = async (i: number): Promise<void> => {
      const result = await client.request('send', { to: ['alice'], body: `n${i}` });
      ids.push(result.message_id);
    };
    const total = 60;
    for (let i = 0; i < total; i += 1) {
      if (i === 10) await laptop.leaf.kill('SIGKILL'); // mid-stream: the bridge has messages in flight
      if (i === 15) await laptop.leaf.restart();
      if (i === 20) await hub.kill('SIGKILL');
      if (i === 30) await hub.restart();
      if (i === 35) await build.leaf.kill('SIGKILL');
      if (i === 40) await build.leaf.restart();
      if (i === 45) {
        // kill -9 of the sending relay while it bridges; its restart publishes again (same ids).
        process.kill(relayPid(laptop.roots, BUNDLE) ?? 0, 'SIGKILL');
        client.close();
        await waitFor(async () => (await as(laptop, 'user', ['list', '--json'])).code === 0, 30_000, 'laptop relay');
        client = await operator(laptop);
      }
      if (i === 50) {
        // kill -9 of the receiving relay: unacked inbound entries come again and are inserted once.
        process.kill(relayPid(build.roots, BUNDLE) ?? 0, 'SIGKILL');
        await waitFor(async () => (await as(build, 'user', ['list', '--json'])).code === 0, 30_000, 'build relay');
      }
      await send(i);
    }

    await waitFor(() => team.logged('alice').length >= total, 90_000, 'every message typed into alice');
    const typed = team.logged('alice').map((prompt) => /--agentmux-([0-9A-Z]{26})/.exec(prompt.text)?.[1]);
    expect(typed).toEqual(ids);
    // Both journals: build holds each message once, in order; laptop learns each was delivered.
    const received = await inboxOf(as, build, 'alice');
    expect(received.map((m) => m.id)).toEqual(ids);
    await waitFor(
      async () => {
        const sent = await historyOf(as, laptop, 'user');
        return sent.length === total && sent.every((m) => m.deliveries.every((d) => d.state === 'delivered'));
      },
      60_000,
      'delivered reported to laptop',
    );
    expect((await historyOf(as, laptop, 'user')).map((m) => m.id)).toEqual(ids);
  }, 240_000);
});
