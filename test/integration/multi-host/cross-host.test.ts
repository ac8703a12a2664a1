// Two relays as two hosts on one machine (separate state roots), each with its own leaf
// nats-server, linked through a hub: real servers, real relays, real journals.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { natsSkipReason } from '../../helpers/nats-servers.js';
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
let laptop: HostSide;
let build: HostSide;

beforeEach(async () => {
  if (skip) return;
  hosts = await startTwoHosts('xhost');
  ({ laptop, build } = hosts);
  const { leaves } = hosts;
  for (const side of [laptop, build]) writeHostBundle(side.roots, BUNDLE, leaves);
});

afterEach(async () => {
  if (skip) return;
  await stopTwoHosts(hosts, BUNDLE);
});

const as = (side: HostSide, session: string, args: string[]) =>
  runCli(side.roots, [...args, '--bundle', BUNDLE, '--as-session', session], { env: { AGENTMUX_HOST: side.host } });

describe.skipIf(skip !== undefined)(`cross-host messages${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('delivers user@laptop → alice@build and the reply back, with delivery reported to the sender', async () => {
    const count = 30;
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const target = i % 2 === 0 ? 'alice@build' : 'alice';
      const sent = await as(laptop, 'user', ['send', '-t', target, '-m', `m${i}`, '--json']);
      expect(sent.code, sent.stderr).toBe(0);
      ids.push((JSON.parse(sent.stdout) as { message_id: string }).message_id);
    }
    await as(build, 'alice', ['inbox', '--peek', '--json']); // starts build's relay
    await waitFor(async () => (await inboxOf(as, build, 'alice')).length === count, 30_000, 'alice@build inbox');
    const inbox = await inboxOf(as, build, 'alice');
    expect(inbox.map((m) => m.id)).toEqual(ids);
    expect(inbox.map((m) => m.body)).toEqual(ids.map((_, i) => `m${i}`));
    expect(new Set(inbox.map((m) => m.from))).toEqual(new Set(['user@laptop']));

    const acked = await as(build, 'alice', ['ack', ...ids, '--json']);
    expect(acked.code, acked.stderr).toBe(0);
    await waitFor(
      async () =>
        (await historyOf(as, laptop, 'user')).every((m) => m.deliveries.every((d) => d.state === 'delivered')),
      30_000,
      'delivered reported back to laptop',
    );
    // The 30 copies were settled together (one ack): their reports travelled as one entry,
    // so build's OUT stream (nothing else was sent from build yet) holds exactly one.
    const nc = await connect({ servers: build.leaf.url });
    try {
      const out = await (await jetstreamManager(nc)).streams.info('AM_team_OUT_build');
      expect(out.state.messages).toBe(1);
    } finally {
      await nc.close();
    }

    const reply = await as(build, 'alice', ['send', '--reply-to', ids[0] ?? '', '-m', 'got them', '--json']);
    expect(reply.code, reply.stderr).toBe(0);
    expect(JSON.parse(reply.stdout)).toMatchObject({ results: [{ target: 'user@laptop' }] });
    await waitFor(async () => (await inboxOf(as, laptop, 'user')).length === 1, 30_000, 'reply on laptop');
    expect((await inboxOf(as, laptop, 'user'))[0]).toMatchObject({ from: 'alice', body: 'got them' });
  }, 120_000);

  it('a host offline for the whole sending accepts sends and delivers them once it returns', async () => {
    await build.leaf.kill('SIGKILL'); // build is off the network: no leaf, no relay
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const sent = await as(laptop, 'bob', ['send', '-t', 'alice', '-m', `offline ${i}`, '--json']);
      expect(sent.code, sent.stderr).toBe(0);
      expect(JSON.parse(sent.stdout)).toMatchObject({ results: [{ target: 'alice', outcome: 'delivering' }] });
      ids.push((JSON.parse(sent.stdout) as { message_id: string }).message_id);
    }
    const listed = JSON.parse((await as(laptop, 'user', ['list', '--json'])).stdout) as {
      sessions: { id: string; host?: string; reachable?: boolean; transport: string }[];
    };
    expect(listed.sessions.find((s) => s.id === 'alice')).toMatchObject({
      host: 'build',
      reachable: false,
      transport: 'remote',
    });
    expect(listed.sessions.find((s) => s.id === 'bob')).toMatchObject({ host: 'laptop', transport: 'socket' });
    // The table says the same: alice's row names her host and `remote` as her transport.
    const table = (await as(laptop, 'user', ['list'])).stdout.split('\n');
    expect(table.find((line) => line.startsWith('alice'))).toMatch(/^alice\s+build \(unreachable\)\s+agent\s+remote\s/);
    // The status line (status file, tmux format) names alice's host and says it is offline.
    const statusOf = async (format: string): Promise<string> =>
      (await as(laptop, 'user', ['status', '--format', format])).stdout;
    await waitFor(async () => (await statusOf('text')).includes('alice@build host offline'), 30_000, 'status offline');
    expect(await statusOf('tmux')).toContain('alice@build offline');
    // alice's inbox lives on build: acting as her here (and acking her copies) is refused.
    const elsewhere = await as(laptop, 'alice', ['inbox', '--json']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('validation_unknown_session');
    expect(elsewhere.stderr).toContain('lives on host build');

    await build.leaf.restart();
    await as(build, 'alice', ['inbox', '--peek', '--json']); // build's relay comes up
    await waitFor(async () => (await inboxOf(as, build, 'alice')).length === ids.length, 60_000, 'catch-up');
    expect((await inboxOf(as, build, 'alice')).map((m) => m.id)).toEqual(ids);
    expect(new Set((await inboxOf(as, build, 'alice')).map((m) => m.from))).toEqual(new Set(['bob']));
    await waitFor(
      async () => {
        const seen = JSON.parse((await as(laptop, 'user', ['list', '--json'])).stdout) as typeof listed;
        return seen.sessions.find((s) => s.id === 'alice')?.reachable === true;
      },
      30_000,
      'build reachable again',
    );
    await waitFor(
      async () => {
        const line = await statusOf('text');
        return line.includes('alice@build') && !line.includes('host offline');
      },
      30_000,
      'status line: build back',
    );
  }, 120_000);

  it('publishes copies queued behind one another as one entry, delivered in order', async () => {
    await laptop.leaf.kill('SIGKILL'); // laptop's relay accepts sends it cannot publish yet
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const sent = await as(laptop, 'bob', ['send', '-t', 'alice', '-m', `queued ${i}`, '--json']);
      expect(sent.code, sent.stderr).toBe(0);
      ids.push((JSON.parse(sent.stdout) as { message_id: string }).message_id);
    }
    await laptop.leaf.restart();
    await as(build, 'alice', ['inbox', '--peek', '--json']); // starts build's relay
    await waitFor(async () => (await inboxOf(as, build, 'alice')).length === ids.length, 60_000, 'catch-up');
    expect((await inboxOf(as, build, 'alice')).map((m) => m.id)).toEqual(ids);
    // The eight copies waited together for the leaf: one publish, one stream entry.
    const nc = await connect({ servers: laptop.leaf.url });
    try {
      const out = await (await jetstreamManager(nc)).streams.info('AM_team_OUT_laptop');
      expect(out.state.messages).toBe(1);
    } finally {
      await nc.close();
    }
  }, 120_000);

  it('publishes with the ULID as Nats-Msg-Id and inserts a re-published copy only once', async () => {
    const first = await as(laptop, 'bob', ['send', '-t', 'alice', '-m', 'once', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const id = (JSON.parse(first.stdout) as { message_id: string }).message_id;
    await as(build, 'alice', ['inbox', '--peek', '--json']);
    await waitFor(async () => (await inboxOf(as, build, 'alice')).length === 1, 60_000, 'first copy');

    const nc = await connect({ servers: laptop.leaf.url });
    try {
      const stored = await (await jetstreamManager(nc)).streams.getMessage('AM_team_OUT_laptop', { seq: 1 });
      if (stored === null) throw new Error('the OUT stream has no first entry');
      expect(stored.header.get('Nats-Msg-Id')).toBe(`${id}.alice`);
      const js = jetstream(nc);
      const again = await js.publish(stored.subject, stored.data, { msgID: `${id}.alice` });
      expect(again).toMatchObject({ duplicate: true, seq: 1 });
      // Past the duplicate window JetStream stores it again; the receiving journal must not.
      const late = await js.publish(stored.subject, stored.data, { msgID: `${id}.alice.late` });
      expect(late.duplicate).toBe(false);
    } finally {
      await nc.close();
    }
    const next = await as(laptop, 'bob', ['send', '-t', 'alice', '-m', 'after', '--json']);
    const nextId = (JSON.parse(next.stdout) as { message_id: string }).message_id;
    await waitFor(async () => (await inboxOf(as, build, 'alice')).some((m) => m.id === nextId), 60_000, 'next');
    expect((await inboxOf(as, build, 'alice')).map((m) => m.id)).toEqual([id, nextId]);
  }, 120_000);
});
