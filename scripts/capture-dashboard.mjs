#!/usr/bin/env node
// Records docs/dashboard.txt: runs `agentmux tui` in a private tmux server next to the offline
// demo team (three scripted agents that hand work to each other), gives it two tasks through
// the composer, and saves what the pane shows (capture-pane), at 100×30 and at 80×24.
// Usage: node scripts/build.mjs && node scripts/capture-dashboard.mjs [output-file]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'bin/agentmux');
const agentScript = join(repo, 'examples/scripted-agent.mjs');
const output = resolve(process.argv[2] ?? join(repo, 'docs/dashboard.txt'));
const root = mkdtempSync(join(tmpdir(), 'agentmux-capture-'));
const configDir = join(root, 'config');
const stateDir = join(root, 'state');
const uiSocket = join(root, 'ui.sock');
const bundle = 'demo';
const team = [
  { id: 'planner', handoff: 'coder' },
  { id: 'coder', handoff: 'reviewer' },
  { id: 'reviewer', handoff: 'you' },
];

mkdirSync(join(configDir, 'bundles'), { recursive: true });
mkdirSync(join(root, 'work'));
const coder = (m) => `[[coders]]
id = "${m.id}-bot"
[coders.tmux]
initial-command = ${JSON.stringify(`${process.execPath} ${agentScript}`)}
prompt-regex = "(?m)^agent>$"
busy-regex = "thinking…"
quiet-window-ms = 300
submit-delay-ms = 60
environment = [
  { name = "AGENT_NAME", value = "${m.id}" },
  { name = "AGENT_HANDOFF", value = "${m.handoff}" },
  { name = "AGENT_THINK_MS", value = "700" },
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
for (const key of ['AGENTMUX_BUNDLE', 'AGENTMUX_SESSION', 'AGENTMUX_COMMAND', 'TMUX', 'TMUX_PANE', 'CI'])
  delete env[key];
const run = (file, args) => execFileSync(file, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const cli = (...args) => run(bin, args);
const ui = (...args) => run('tmux', ['-S', uiSocket, ...args]);
const screen = () => ui('capture-pane', '-p', '-t', 'ui').replace(/\n+$/, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}:\n${screen()}`);
}

async function type(text) {
  ui('send-keys', '-t', 'ui', '-l', text);
  await sleep(150);
  ui('send-keys', '-t', 'ui', 'Enter');
}

let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const step of [
    () => ui('kill-server'),
    () => cli('down'),
    () => cli('relay', 'stop'),
    () => run('tmux', ['-S', join(stateDir, 'bundles', bundle, 'tmux.sock'), 'kill-server']),
  ]) {
    try {
      step();
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  cli('up');
  ui('-f', '/dev/null', 'new-session', '-d', '-s', 'ui', '-x', '100', '-y', '30', `exec '${bin}' tui`);
  await waitFor(() => /planner\s+ready/.test(screen()) && /reviewer\s+ready/.test(screen()), 'the team to be ready');
  await type('@planner add a TOML parser to the project');
  await sleep(400);
  await type('@planner fix the flaky login test');
  await waitFor(() => (screen().match(/reviewer → you✓/g) ?? []).length === 2, 'both tasks to come back');
  // Let the relay see the agents settle (it re-reads idle panes every 2 s).
  await waitFor(
    () => !/\bbusy\b/.test(screen().split('\n').slice(1, 8).join('\n')),
    'the agents to settle',
    10_000,
  ).catch(() => undefined);
  ui('send-keys', '-t', 'ui', '-l', '@coder please add tests for the parser too');
  await sleep(500);
  const wide = screen();
  ui('resize-window', '-t', 'ui', '-x', '80', '-y', '24');
  await sleep(700);
  const narrow = screen();
  const text = [
    '# agentmux tui — text capture (made by scripts/capture-dashboard.mjs with the offline demo team)',
    '# You sent two tasks to planner; each went planner → coder → reviewer → you, typed into each',
    '# agent’s tmux pane by the relay. A third message is in the composer, not yet sent.',
    '',
    '## 100×30',
    '',
    wide,
    '',
    '## 80×24',
    '',
    narrow,
    '',
  ].join('\n');
  writeFileSync(output, text);
  console.log(`wrote ${output}`);
} catch (error) {
  console.error(`capture failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
