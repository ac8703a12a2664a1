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
