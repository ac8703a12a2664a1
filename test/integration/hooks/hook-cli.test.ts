// `agentmux hook` as a real process against a real relay, and the commands `hooks install`
// writes, run the way each client runs them (Claude/Gemini: `sh -c` with the payload on
// stdin; Codex: argv with the payload appended).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codexNotifyArgv, hookShellCommand } from '../../../src/hooks/commands.js';
import { AGENTMUX_BIN, cliEnv, relayPid, runCli, stopRelay, writeBundle, type CliResult } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('hook');
  writeBundle(roots, BUNDLE, [{ id: 'bob' }, { id: 'carol' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

const agentEnv = (session = 'bob'): Record<string, string> => ({
  AGENTMUX_SESSION: session,
  AGENTMUX_BUNDLE: BUNDLE,
  AGENTMUX_COMMAND: AGENTMUX_BIN,
});

interface SessionRow {
  id: string;
  state: string;
  state_source: string;
}

async function sessionOf(id: string): Promise<SessionRow | undefined> {
  const listed = await runCli(roots, ['list', '--json', '--bundle', BUNDLE]);
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as { sessions: SessionRow[] }).sessions.find((s) => s.id === id);
}

function journaledConversation(session: string): string | undefined {
  const db = new Database(join(roots.stateDir, 'bundles', BUNDLE, 'journal.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT conversation_id FROM session_facts WHERE session = ?').get(session) as
      { conversation_id: string | null } | undefined;
    return row?.conversation_id ?? undefined;
  } finally {
    db.close();
  }
}

/** Runs `program args…` with the test roots' environment, `input` on stdin. */
function run(program: string, args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { env: cliEnv(roots, env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A hook that has nothing to do exits before reading stdin; that is not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

describe('agentmux hook with a relay up', () => {
  beforeEach(async () => {
    expect((await sessionOf('bob'))?.state_source).not.toBe('hook'); // also starts the relay
  });

  it('reports busy from a prompt, then idle, as the session; journals the conversation id', async () => {
    const payload = { session_id: 'conv-claude-1', hook_event_name: 'UserPromptSubmit', prompt: 'hello' };
    const busy = await runCli(roots, ['hook', '--client', 'claude', 'UserPromptSubmit'], {
      input: JSON.stringify(payload),
      env: agentEnv(),
    });
    expect(busy).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessionOf('bob')).toMatchObject({ state: 'busy', state_source: 'hook' });
    expect(journaledConversation('bob')).toBe('conv-claude-1');

    const idle = await runCli(roots, ['hook', '--client', 'claude', 'Stop'], {
      input: JSON.stringify({ session_id: 'conv-claude-1', hook_event_name: 'Stop', stop_hook_active: false }),
      env: agentEnv(),
    });
    expect(idle).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessionOf('bob')).toMatchObject({ state: 'idle', state_source: 'hook' });
    expect((await sessionOf('carol'))?.state_source).not.toBe('hook');
  });

  it('loads only its own CommonJS bundle, never the ES module loader (it runs before every model call)', async () => {
    // A preloaded script records, as the process exits, every CommonJS module it loaded and
    // whether node's ES module loader (~15 ms of CPU to start) or perf_hooks (~2 ms) was loaded.
    const loaded = join(roots.root, 'loaded.json');
    const recorder = join(roots.root, 'record-loads.cjs');
    writeFileSync(
      recorder,
      `process.on('exit', () => {
  const modules = Object.keys(require.cache).filter((path) => path !== __filename);
  const esmLoader = process.moduleLoadList.some((name) => name.endsWith('internal/modules/esm/loader'));
  const perfHooks = process.moduleLoadList.includes('NativeModule perf_hooks');
  require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify({ modules, esmLoader, perfHooks }));
});
`,
    );
    const result = await run(
      process.execPath,
      ['--require', recorder, AGENTMUX_BIN, 'hook', '--client', 'claude', 'Stop'],
      { ...agentEnv(), AGENTMUX_HOOK_DEBUG: '1' },
      JSON.stringify({ session_id: 'conv-load', hook_event_name: 'Stop' }),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('reported idle');
    const { modules, esmLoader, perfHooks } = JSON.parse(readFileSync(loaded, 'utf8')) as {
      modules: string[];
      esmLoader: boolean;
      perfHooks: boolean;
    };
    expect(modules.map((path) => path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1)))).toEqual([
      '/bin/agentmux',
      '/dist/hook.cjs',
    ]);
    expect(esmLoader).toBe(false);
    expect(perfHooks).toBe(false);
  });

  it('does nothing without AGENTMUX_SESSION', async () => {
    const result = await runCli(roots, ['hook', '--client', 'claude', 'PreToolUse'], {
      input: '{"session_id":"conv-x"}',
      env: { AGENTMUX_BUNDLE: BUNDLE, AGENTMUX_HOOK_DEBUG: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('skipped: AGENTMUX_SESSION is not set');
    expect((await sessionOf('bob'))?.state_source).not.toBe('hook');
    expect(journaledConversation('bob')).toBeUndefined();
  });

  it('runs the Claude hook command through sh with the payload on stdin', async () => {
    const command = hookShellCommand('claude', 'Notification', '/nonexistent/agentmux');
    const payload = { session_id: 'conv-claude-2', notification_type: 'permission_prompt', message: 'needs you' };
    const result = await run('sh', ['-c', command], agentEnv(), JSON.stringify(payload));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessionOf('bob')).toMatchObject({ state: 'waiting_input', state_source: 'hook' });
    expect(journaledConversation('bob')).toBe('conv-claude-2');
    const status = await runCli(roots, ['relay', 'status', '--json', '--bundle', BUNDLE]);
    expect(JSON.parse(status.stdout).status.needs_operator).toEqual(['bob']);
  });

  it('runs the Gemini hook command through sh, using the fallback path when AGENTMUX_COMMAND is unset', async () => {
    const command = hookShellCommand('gemini', 'BeforeAgent', AGENTMUX_BIN);
    const env = { AGENTMUX_SESSION: 'bob', AGENTMUX_BUNDLE: BUNDLE };
    const payload = { session_id: 'conv-gemini', hook_event_name: 'BeforeAgent', prompt: 'plain prompt' };
    const result = await run('sh', ['-c', command], env, JSON.stringify(payload));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessionOf('bob')).toMatchObject({ state: 'busy', state_source: 'hook' });
  });

  it('runs the Codex notify argv with the payload appended; skips the title turn', async () => {
    const [program, ...args] = codexNotifyArgv('/nonexistent/agentmux');
    const turn = { type: 'agent-turn-complete', 'thread-id': 'thread-main', 'input-messages': ['plain prompt'] };
    const result = await run(program ?? 'sh', [...args, JSON.stringify(turn)], agentEnv());
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessionOf('bob')).toMatchObject({ state: 'idle', state_source: 'hook' });
    expect(journaledConversation('bob')).toBe('thread-main');

    const title = {
      type: 'agent-turn-complete',
      'thread-id': 'thread-title',
      'input-messages': ['Generate a concise, single-line task title for: plain prompt'],
    };
    await run(program ?? 'sh', [...args, JSON.stringify(title)], agentEnv());
    expect(journaledConversation('bob')).toBe('thread-main');
  });
});

describe('agentmux hook without a relay', () => {
  it('exits 0, prints nothing and starts no relay', async () => {
    const result = await runCli(roots, ['hook', '--client', 'claude', 'PreToolUse'], {
      input: '{"session_id":"conv-y","tool_name":"Bash"}',
      env: agentEnv(),
    });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(relayPid(roots, BUNDLE)).toBeUndefined();
    expect(existsSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.sock'))).toBe(false);
  });

  it('exits 0 for arguments it does not understand (exit 2 would block Claude)', async () => {
    const result = await runCli(roots, ['hook', '--client', 'nope', '--unknown-flag', 'x', 'y'], { env: agentEnv() });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('is free outside agentmux: the installed command starts no process without AGENTMUX_SESSION', async () => {
    const command = hookShellCommand('claude', 'Stop', '/nonexistent/agentmux');
    const result = await run('sh', ['-c', command], { AGENTMUX_COMMAND: '/nonexistent/agentmux' }, '{}');
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
