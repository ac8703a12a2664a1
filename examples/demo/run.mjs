#!/usr/bin/env node
// The offline demo: a team of scripted participants exchanging messages through a real
// relay, with a temporary config and state root. Prints each message as `from → to`.
// Usage: npm run demo [-- --keep]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRelay } from '../../dist/client.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../bin/agentmux');
const keep = process.argv.includes('--keep');
const root = mkdtempSync(join(tmpdir(), 'agentmux-demo-'));
const configDir = join(root, 'config');
const stateDir = join(root, 'state');
const bundle = 'demo';
mkdirSync(join(configDir, 'bundles'), { recursive: true });
writeFileSync(
  join(configDir, 'bundles', `${bundle}.toml`),
  [
    'format-version = 1',
    ...['planner', 'coder', 'reviewer'].flatMap((id) => ['', '[[sessions]]', `id = "${id}"`, `directory = "${root}"`]),
  ].join('\n'),
);
writeFileSync(
  join(configDir, 'tui.toml'),
  `default-bundle = "${bundle}"\ndefault-session = "you"\n\n[[sessions]]\nid = "you"\nname = "Operator"\n`,
);

const roots = { configDir, stateDir };
const connect = (session, role = 'agent') =>
  openRelay({ roots, identity: { bundle, session, role }, clientName: 'demo', clientVersion: '1', entryPoint: bin });

const script = {
  planner: (m) => (m.from === 'you' ? { to: 'coder', body: `Plan: ${m.body} — please implement step 1.` } : undefined),
  coder: (m) =>
    m.from === 'planner' ? { to: 'reviewer', body: 'Step 1 done: added parser + tests. Review?' } : undefined,
  reviewer: (m) =>
    m.from === 'coder' ? { to: 'you', body: 'Reviewed: looks good, one nit on naming. Ship it.' } : undefined,
};

let stopping = false;
const clients = [];
async function cleanup(code) {
  if (stopping) return;
  stopping = true;
  for (const client of clients) client.close();
  if (!keep) {
    try {
      const observer = await openRelay({
        roots,
        identity: { bundle, role: 'observer' },
        clientName: 'demo',
        clientVersion: '1',
        entryPoint: bin,
        autoStart: false,
      });
      await observer.request('relay.shutdown', {});
      observer.close();
    } catch {
      // already down
    }
    rmSync(root, { recursive: true, force: true });
  } else {
    console.log(
      `\nleft running. Try:\n  export AGENTMUX_CONFIG_DIR=${configDir} AGENTMUX_STATE_DIR=${stateDir}\n  ${bin} list\n  ${bin} history`,
    );
  }
  process.exit(code);
}
process.on('SIGINT', () => void cleanup(130));
process.on('SIGTERM', () => void cleanup(143));

console.log(`agentmux demo: bundle "${bundle}" in ${root}`);
const done = new Promise((resolveDone) => {
  const start = async () => {
    for (const [session, reply] of Object.entries(script)) {
      const client = await connect(session);
      clients.push(client);
      client.on('message.received', async ({ message }) => {
        await client.request('inbox.ack', { ids: [message.id] });
        const answer = reply(message);
        if (answer) await client.request('send', { to: [answer.to], body: answer.body, reply_to: message.id });
      });
      await client.request('subscribe', { messages: true });
    }
    const you = await connect('you', 'operator');
    clients.push(you);
    you.on('message.received', async ({ message }) => {
      await you.request('inbox.ack', { ids: [message.id] });
      resolveDone(message);
    });
    await you.request('subscribe', { messages: true, events: true });
    you.on('message.created', ({ message }) =>
      console.log(`${message.from} → ${message.to.join(', ')}: ${message.body}`),
    );
    await you.request('send', { to: ['planner'], body: 'add a TOML parser to the project' });
  };
  start().catch((error) => {
    console.error(error);
    void cleanup(1);
  });
});
await Promise.race([
  done,
  new Promise((_, reject) => setTimeout(() => reject(new Error('demo timed out')), 20_000)),
]).catch((e) => {
  console.error(String(e));
  void cleanup(1);
});
await new Promise((r) => setTimeout(r, 200));
console.log('\nthe whole thread went planner → coder → reviewer → you through one relay, journaled on disk.');
await cleanup(0);
