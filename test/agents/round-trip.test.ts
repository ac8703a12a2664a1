// Agent to agent through real CLIs (issues 18 and 22): a real Claude Code asks a real Codex CLI
// through agentmux from its own shell (`"$AGENTMUX_COMMAND" ask`), Codex answers with the
// envelope's `send --reply-to` from its shell, and the answer comes back in Claude's own next
// model request as the tool's output — exactly once, attributed to Codex, each shell command
// passing the CLI's permission dialog only after the operator approves it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODER_PRESETS } from '../../src/config/index.js';
import { renderCodersToml } from '../../src/config/render-toml.js';
import { startModelServer, type ModelServer } from '../fixtures/model-server/model-server.js';
import { stopRelay, writeBundle, type CliResult } from '../helpers/cli.js';
import { waitFor } from '../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../helpers/temp-roots.js';
import { prepareAgentHome } from './helpers/homes.js';
import { pidsWith, runAgentmux } from './helpers/real-agent.js';
import { ensureAgentTools } from './helpers/tools.js';

const BUNDLE = 'duo';

interface HistoryJson {
  id: string;
  from: string;
  to: string[];
  body: string;
  reply_to: string | null;
  thread: string;
  deliveries: { recipient: string; state: string; read_at: string | null }[];
}

let roots: TempRoots;
let model: ModelServer;
let home = '';
let run: (args: string[], options?: { withPane?: boolean; timeoutMs?: number }) => Promise<CliResult>;

const tmux = (args: string[]): string => {
  try {
    return execFileSync('tmux', ['-S', join(roots.stateDir, 'bundles', BUNDLE, 'tmux.sock'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
};

beforeAll(async () => {
  const bin = ensureAgentTools();
  roots = makeTempRoots('ag-duo');
  const project = (name: string): string => {
    const dir = join(roots.root, name);
    mkdirSync(dir, { recursive: true });
    execFileSync('git', ['init', '-q', dir]);
    return realpathSync(dir);
  };
  const leadProject = project('proj-lead');
  const workerProject = project('proj-worker');
  model = await startModelServer({ delayMs: 300, logFile: join(roots.root, 'model-requests.jsonl') });
  // One environment for both panes (`up` passes the caller's): Claude's HOME, Codex's CODEX_HOME.
  const codex = prepareAgentHome('codex', roots.root, workerProject, model.url);
  const claude = prepareAgentHome('claude', roots.root, leadProject, model.url);
  home = claude.home;
  const paneEnv = { ...codex.env, ...claude.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  const presets = ['claude', 'codex'].map((id) => CODER_PRESETS.find((p) => p.entry.id === id));
  if (presets.some((p) => p === undefined)) throw new Error('missing claude or codex preset');
  writeFileSync(join(roots.configDir, 'coders.toml'), renderCodersToml(presets.filter((p) => p !== undefined)));
  writeBundle(roots, BUNDLE, [
    { id: 'lead', coder: 'claude', directory: leadProject },
    { id: 'worker', coder: 'codex', directory: workerProject },
  ]);
  run = (args, options = {}) =>
    runAgentmux(
      roots,
      [...args, '--bundle', BUNDLE, '--as-session', 'user'],
      options.withPane ? paneEnv : {},
      options.timeoutMs,
    );
  for (const [client, dir] of [
    ['claude', leadProject],
    ['codex', workerProject],
  ] as const) {
    const hooks = await runAgentmux(roots, ['hooks', 'install', '--client', client, '--dir', dir], paneEnv);
    if (hooks.code !== 0) throw new Error(`hooks install ${client} failed: ${hooks.stderr}`);
  }
  const up = await run(['up', '--json'], { withPane: true, timeoutMs: 90_000 });
  expect(up.code, up.stdout + up.stderr).toBe(0);
  const ready = await run(['wait', 'lead', 'worker', '--state', 'idle', '--timeout-ms', '150000'], {
    timeoutMs: 170_000,
  });
  expect(ready.code, ready.stdout + ready.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await run?.(['down', '--no-autostart']).catch(() => undefined);
  await stopRelay(roots, BUNDLE);
  tmux(['kill-server']);
  for (const pid of pidsWith([`HOME=${home}`, 'AGENTMUX_INSTANCE='])) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  await model?.close();
  roots?.cleanup();
});

/** Waits for `session` to show its permission dialog, then answers it as the operator would. */
async function approve(session: string, keys: string[]): Promise<void> {
  const waited = await run(['wait', session, '--state', 'waiting_input', '--timeout-ms', '120000'], {
    timeoutMs: 140_000,
  });
  expect(waited.code, `${session} never asked for permission: ${waited.stdout}${waited.stderr}`).toBe(0);
  const answered = await run(['raww', session, ...keys.flatMap((k) => ['--key', k]), '--no-enter']);
  expect(answered.code, answered.stderr).toBe(0);
}

describe.sequential('agent to agent through real CLIs', () => {
  it('Claude asks Codex through agentmux and gets the answer back in its own model request, once', async () => {
    const tag = `duo${Math.random().toString(36).slice(2, 8)}`;
    const sent = await run(['send', '-t', 'lead', '-m', `ASK-PEER worker ${tag}`]);
    expect(sent.code, sent.stderr).toBe(0);
    await approve('lead', ['Enter']); // Claude's Bash dialog: "1. Yes" is preselected
    await approve('worker', ['y']); // Codex's approval overlay: "Yes, proceed"
    const answer = `answer ${tag} from worker`;
    const answered = (): ModelServer['requests'] =>
      model.requests.filter((r) => r.api === 'anthropic' && r.main && r.toolOutput.includes(answer));
    await waitFor(() => answered().length > 0, 180_000, "the answer in Claude's model request");

    const history = JSON.parse((await run(['history', '--json', '--limit', '100'])).stdout) as HistoryJson[];
    const question = history.find((m) => m.body === `question ${tag}`);
    const reply = history.find((m) => m.body === answer);
    expect(question).toMatchObject({ from: 'lead', to: ['worker'] });
    expect(reply).toMatchObject({ from: 'worker', to: ['lead'], reply_to: question?.id, thread: question?.thread });
    // Handed back by `ask`, so read and complete: it is never typed into Claude's pane as well.
    expect(reply?.deliveries).toEqual([expect.objectContaining({ recipient: 'lead', state: 'delivered' })]);
    expect(reply?.deliveries[0]?.read_at).not.toBeNull();
    // Codex saw the question once, in an envelope naming Claude as the sender.
    const asked = model.requests.filter((r) => r.api === 'responses' && r.main && r.text.includes(`question ${tag}`));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.text === asked[0]?.text)).toBe(true);
    expect(asked[0]?.text).toContain('From: lead');
    expect(model.prompts(`question ${tag}`).filter((r) => r.api === 'responses')).toHaveLength(1);
    // Claude got the answer once, as its tool's output, and never as a prompt.
    await run(['wait', 'lead', '--state', 'idle', '--timeout-ms', '60000'], { timeoutMs: 70_000 });
    expect(answered()).toHaveLength(1);
    const typed = model.prompts(answer).map((r) => `${r.api} #${r.seq}: ${r.text.slice(0, 400)}`);
    expect(typed, typed.join('\n---\n')).toHaveLength(0);
  }, 600_000);
});
