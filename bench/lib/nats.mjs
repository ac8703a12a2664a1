// nats-server processes for benches: a hub and one leaf per host on loopback, random ports,
// stores under a temp dir, killed by pid (reference/nats-jetstream.md §5).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const children = new Set();

/** Starts `nats-server -c <conf>`; resolves to `{ child, client, leaf }` ports once ready. */
function start(dir, name, lines) {
  mkdirSync(join(dir, name), { recursive: true });
  const conf = join(dir, name, 'server.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn('nats-server', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (text.includes('Server is ready')) return;
      text += chunk;
      if (!text.includes('Server is ready')) return;
      const client = Number(/client connections on 127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
      const leaf = Number(/leafnode connections on 127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
      resolve({ child, client, leaf, url: `nats://127.0.0.1:${client}` });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${text}`)));
  });
}

/** A hub (domain `hub`) and a leaf per host (domain = host id); resolves to `{ hub, leaves }`. */
export async function startNatsTopology(dir, hosts) {
  const hub = await start(dir, 'hub', [
    'listen: 127.0.0.1:-1',
    `jetstream { store_dir: "${join(dir, 'hub', 'store')}", domain: hub }`,
    'leafnodes { listen: 127.0.0.1:-1 }',
  ]);
  const leaves = {};
  for (const host of hosts) {
    leaves[host] = await start(dir, host, [
      'listen: 127.0.0.1:-1',
      `jetstream { store_dir: "${join(dir, host, 'store')}", domain: ${host} }`,
      `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${hub.leaf}" } ] }`,
    ]);
  }
  return { hub, leaves };
}

/** Kills every server started here. */
export function stopNatsServers() {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Times NATS alone on the relays' path, with the bridge's layout under a bundle of its own
 * (`probe`): publish on `from`'s leaf (awaited ack) → OUT → hub stream → `to`'s IN → a durable
 * pull consumer like the relay's. Resolves to the arrival times in ms.
 */
export async function timeNatsPath(hub, leaves, from, to, runs) {
  const { AckPolicy, StorageType, jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const { connect, nanos } = await import('@nats-io/transport-node');
  const external = (domain) => ({ api: `$JS.${domain}.API`, deliver: '' });
  const sender = await connect({ servers: leaves[from].url });
  const receiver = await connect({ servers: leaves[to].url });
  const hubConnection = await connect({ servers: hub.url });
  try {
    for (const [nc, host] of [
      [sender, from],
      [receiver, to],
    ]) {
      const jsm = await jetstreamManager(nc);
      const filter = `agentmux.probe.*.${host}.>`;
      await jsm.streams.add({
        name: `AM_probe_OUT_${host}`,
        subjects: [`agentmux.probe.${host}.>`],
        storage: StorageType.File,
      });
      await jsm.streams.add({
        name: `AM_probe_IN_${host}`,
        storage: StorageType.File,
        sources: [{ name: 'AM_probe', filter_subject: filter, external: external('hub') }],
      });
      await jsm.consumers.add(`AM_probe_IN_${host}`, {
        durable_name: 'relay',
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(30_000),
      });
    }
    await (
      await jetstreamManager(hubConnection)
    ).streams.add({
      name: 'AM_probe',
      storage: StorageType.File,
      sources: [from, to].map((host) => ({ name: `AM_probe_OUT_${host}`, external: external(host) })),
    });
    const arrived = new Map();
    const consumer = await jetstream(receiver).consumers.get(`AM_probe_IN_${to}`, 'relay');
    const messages = await consumer.consume({ max_messages: 256 });
    void (async () => {
      for await (const entry of messages) {
        entry.ack();
        arrived.get(entry.string())?.();
      }
    })();
    const js = jetstream(sender);
    const samples = [];
    for (let i = -20; i < runs; i += 1) {
      const body = `p${i}`;
      const seen = new Promise((resolve) => arrived.set(body, resolve));
      const started = performance.now();
      await js.publish(`agentmux.probe.${from}.${to}.m`, body, { msgID: body });
      await seen;
      if (i >= 0) samples.push(performance.now() - started);
    }
    await messages.close();
    return samples;
  } finally {
    await Promise.all([sender.close(), receiver.close(), hubConnection.close()]);
  }
}
