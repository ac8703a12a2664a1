#!/usr/bin/env node
// The offline demo: three scripted agents run in tmux panes of a private tmux server and
// hand work to each other through the relay; you (the operator) start it and get the result.
// Every message between agents is typed into the recipient's pane, like with real agent CLIs.
// Usage: npm run demo [-- --keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRelay } from '../../dist/client.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../bin/agentmux');
const agentScript = resolve(here, '../scripted-agent.mjs');
const keep = process.argv.includes('--keep');
const root = mkdtempSync(join(tmpdir(), 'agentmux-demo-'));
const configDir = join(root, 'config');
const stateDir = join(root, 'state');
const bundle = 'demo';
const team = [
  { id: 'planner', handoff: 'coder' },
  { id: 'coder', handoff: 'reviewer' },
  { id: 'reviewer', handoff: 'you' },
];
const tasks = ['add a TOML parser to the project', 'fix the flaky login test'];

mkdirSync(join(configDir, 'bundles'), { recursive: true });
mkdirSync(join(root, 'work'), { recursive: true });
const coder = (member) => `[[coders]]
id = "${member.id}-bot"
[coders.tmux]
initial-command = "node ${agentScript}"
prompt-regex = "(?m)^agent>$"
busy-regex = "thinking…"
quiet-window-ms = 300
submit-delay-ms = 60
environment = [
  { name = "AGENT_NAME", value = "${member.id}" },
  { name = "AGENT_HANDOFF", value = "${member.handoff}" },
  { name = "AGENT_THINK_MS", value = "800" },
  { name = "AGENT_MAX_REPLIES", value = "${tasks.length}" },
]
`;
writeFileSync(join(configDir, 'coders.toml'), `format-version = 1\n\n${team.map(coder).join('\n')}`);
writeFileSync(
  join(configDir, 'bundles', `${bundle}.toml`),
  `format-version = 1\n${team.map((m) => `\n[[sessions]]\nid = "${m.id}"\ndirectory = "${join(root, 'work')}"\ncoder = "${m.id}-bot"\n`).join('')}`,
);
writeFileSync(
  join(configDir, 'tui.toml'),
  `default-bundle = "${bundle}"\ndefault-session = "you"\n\n[[sessions]]\nid = "you"\nname = "Operator"\n`,
);

const env = { ...process.env, AGENTMUX_CONFIG_DIR: configDir, AGENTMUX_STATE_DIR: stateDir };
for (const key of ['AGENTMUX_BUNDLE', 'AGENTMUX_SESSION', 'AGENTMUX_COMMAND', 'TMUX', 'TMUX_PANE']) delete env[key];
const cli = (...args) => execFileSync(bin, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let you;
let finished = false;
function cleanup(code) {
  if (finished) return;
  finished = true;
  you?.close();
  if (keep) {
    console.log(`\nThe team keeps running. In another terminal:
  export AGENTMUX_CONFIG_DIR=${configDir} AGENTMUX_STATE_DIR=${stateDir}
  ${bin} tui                  # the dashboard: sessions, the conversation, a composer
  ${bin} list                 # who is there and what they are doing
  ${bin} attach planner       # watch an agent's pane (leave with C-q)
  ${bin} send -t planner -m "another task"
  ${bin} down && ${bin} relay stop && rm -rf ${root}   # when done`);
  } else {
    try {
      cli('down');
      cli('relay', 'stop');
    } catch {
      // already down
    }
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on('SIGINT', () => cleanup(130));
process.on('SIGTERM', () => cleanup(143));

try {
  console.log(`agentmux demo — bundle "${bundle}" in ${root}\n`);
  console.log('starting the team in tmux (agentmux up):');
  for (const s of JSON.parse(cli('up', '--json')).sessions)
    console.log(`  ${s.id.padEnd(9)} ${s.outcome} in tmux pane ${s.pane_id}`);
  console.log('');

  you = await openRelay({
    roots: { configDir, stateDir },
    identity: { bundle, session: 'you', role: 'operator' },
    clientName: 'demo',
    clientVersion: '1',
    entryPoint: bin,
  });
  const results = [];
  const allDone = new Promise((resolveAll) => {
    you.on('message.created', ({ message }) =>
      console.log(`${message.from.padStart(8)} → ${message.to.join(', ').padEnd(8)} ${message.body}`),
    );
    you.on('delivery.updated', ({ recipient, state }) => {
      if (state === 'submitted') console.log(`${''.padStart(8)}   (typed into ${recipient}'s pane)`);
    });
    you.on('message.received', ({ message }) => {
      void you.request('inbox.ack', { ids: [message.id] });
      results.push(message);
      if (results.length === tasks.length) resolveAll();
    });
  });
  await you.request('subscribe', { messages: true, events: true });
  for (const task of tasks) await you.request('send', { to: ['planner'], body: task });
  const timer = setTimeout(() => {
    console.error('\ndemo timed out waiting for the team; see `agentmux look <agent>` with --keep');
    cleanup(1);
  }, 60_000);
  await allDone;
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 300));
  console.log(
    `\n${results.length} tasks went you → planner → coder → reviewer → you, each typed into the next agent's pane.`,
  );
  console.log(
    'History is journaled; try `agentmux demo --keep` (or `npm run demo -- --keep`) to explore it with `agentmux history` and `agentmux attach`.',
  );
  cleanup(0);
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  cleanup(1);
}
