// Identity is proven, not claimed (issue 15.4): an agent's pane carries its own credential
// (AGENTMUX_TOKEN, derived from the relay's operator key), a human's shell reads the operator
// key, and a connection that proves nothing only observes. Real relay, real CLI processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayClient } from '../../../src/client/index.js';
import { AgentmuxError } from '../../../src/core/errors.js';
import { Credentials } from '../../../src/relay/credentials.js';
import { operatorKeyPath } from '../../../src/runtime/operator-key.js';
import { reportToRelay, runHook } from '../../../src/cli/commands/hook.js';
import { cliEnv, runCli, stopRelay, writeBundle, type CliResult } from '../../helpers/cli.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
let roots: TempRoots;
let bobToken: string;

const bundleDir = (): string => join(roots.stateDir, 'bundles', BUNDLE);

/** The environment of a process in bob's pane, claiming to be `session`. */
const inBobsPane = (session: string): Record<string, string> => ({
  AGENTMUX_BUNDLE: BUNDLE,
  AGENTMUX_SESSION: session,
  AGENTMUX_TOKEN: bobToken,
});

function errorCode(result: CliResult): string | undefined {
  const line = result.stderr.trim().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(line) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

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
  const db = new Database(join(bundleDir(), 'journal.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT conversation_id FROM session_facts WHERE session = ?').get(session) as
      { conversation_id: string | null } | undefined;
    return row?.conversation_id ?? undefined;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  roots = makeTempRoots('identity');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
  // The operator's own shell starts the relay (and so the operator key).
  const listed = await runCli(roots, ['list', '--json', '--bundle', BUNDLE]);
  expect(listed.code, listed.stderr).toBe(0);
  bobToken = new Credentials(readFileSync(operatorKeyPath(bundleDir()), 'utf8').trim()).forAgent('bob');
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

describe('a process carrying bob’s credential', () => {
  it('sends as bob (the fast path), and alice receives it from bob', async () => {
    const sent = await runCli(roots, ['send', '-t', 'alice', '-m', 'hi from bob', '--json'], {
      env: inBobsPane('bob'),
    });
    expect(sent.code, sent.stderr).toBe(0);
    const inbox = await runCli(roots, ['inbox', '--json', '--bundle', BUNDLE, '--as-session', 'alice']);
    expect(inbox.code, inbox.stderr).toBe(0);
    expect(JSON.parse(inbox.stdout)).toMatchObject([{ from: 'bob', body: 'hi from bob' }]);
  });

  it('cannot act as the operator: `AGENTMUX_SESSION=user agentmux raww alice` is refused', async () => {
    const result = await runCli(roots, ['raww', 'alice', '--text', 'rm -rf ~', '--json'], { env: inBobsPane('user') });
    expect(result.code).not.toBe(0);
    expect(errorCode(result), result.stderr).toBe('authorization_unproven_identity');
  });

  it('cannot read alice’s mail: `AGENTMUX_SESSION=alice agentmux inbox` is refused', async () => {
    const mail = await runCli(roots, ['send', '-t', 'alice', '-m', 'for alice only', '--bundle', BUNDLE]);
    expect(mail.code, mail.stderr).toBe(0);
    const result = await runCli(roots, ['inbox', '--json'], { env: inBobsPane('alice') });
    expect(result.code).not.toBe(0);
    expect(errorCode(result), result.stderr).toBe('authorization_unproven_identity');
    expect(result.stdout).not.toContain('for alice only');
  });

  it('cannot send as alice through the fast path', async () => {
    const result = await runCli(roots, ['send', '-t', 'bob', '-m', 'forged', '--json'], { env: inBobsPane('alice') });
    expect(result.code).not.toBe(0);
    expect(errorCode(result), result.stderr).toBe('authorization_unproven_identity');
  });

  it('cannot report hook state or a conversation id for alice', async () => {
    // The hook's own logic and its real relay report, without the ~1 s deadline of the hook
    // process (which a loaded test machine can exceed before the relay has even answered).
    const hook = async (session: string, event: string, payload: object): Promise<string> => {
      const outcome = await runHook(
        { client: 'claude', positionals: [event, JSON.stringify(payload)] },
        {
          env: { ...cliEnv(roots), ...inBobsPane(session) },
          readStdin: () => Promise.resolve(undefined),
          report: reportToRelay,
          remainingMs: () => 15_000,
        },
      );
      return outcome.kind === 'failed'
        ? outcome.reason
        : outcome.kind === 'reported'
          ? `reported ${outcome.params.state ?? ''}`
          : outcome.kind;
    };
    const permission = { session_id: 'conv-evil', notification_type: 'permission_prompt', message: 'approve me' };
    expect(await hook('alice', 'Notification', permission)).toContain('cannot prove it is alice');
    const start = { session_id: 'conv-evil-2', hook_event_name: 'SessionStart', source: 'startup' };
    expect(await hook('alice', 'SessionStart', start)).toContain('cannot prove it is alice');
    // bob's own hook, run after both, is recorded.
    const own = { session_id: 'conv-bob', hook_event_name: 'UserPromptSubmit', prompt: 'work' };
    expect(await hook('bob', 'UserPromptSubmit', own)).toContain('reported busy');
    expect(await sessionOf('bob')).toMatchObject({ state: 'busy', state_source: 'hook' });
    expect(journaledConversation('bob')).toBe('conv-bob');
    expect((await sessionOf('alice'))?.state_source).not.toBe('hook');
    expect(journaledConversation('alice')).toBeUndefined();
    const status = await runCli(roots, ['relay', 'status', '--json', '--bundle', BUNDLE]);
    expect(JSON.parse(status.stdout).status.needs_operator).toEqual([]);
  }, 120_000);
});

describe('a connection that proves nothing', () => {
  async function connect(identity: { session?: string; credential: string }): Promise<RelayClient> {
    return RelayClient.connect({
      socketPath: join(bundleDir(), 'relay.sock'),
      identity: { bundle: BUNDLE, ...identity },
      clientName: 'test',
      clientVersion: '0',
    });
  }

  it('cannot claim a session', async () => {
    await expect(connect({ session: 'alice', credential: 'not-a-credential' })).rejects.toMatchObject({
      code: 'authorization_unproven_identity',
    });
  });

  it('observes read-only: list and status, but no up, down or relay.shutdown', async () => {
    const observer = await connect({ credential: bobToken });
    try {
      expect(observer.hello.role).toBe('observer');
      expect((await observer.request('list', {})).sessions.map((s) => s.id)).toContain('alice');
      const refusal = (request: Promise<unknown>): Promise<unknown> =>
        request.then(
          () => undefined,
          (error: unknown) => error,
        );
      const refusals = {
        up: await refusal(observer.request('up', { sessions: ['alice'], restart: true, env: { PATH: '/tmp/evil' } })),
        down: await refusal(observer.request('down', {})),
        'relay.shutdown': await refusal(observer.request('relay.shutdown', {})),
      };
      for (const [method, refused] of Object.entries(refusals)) {
        expect(refused, method).toBeInstanceOf(AgentmuxError);
        expect((refused as AgentmuxError).code, method).toBe('authorization_forbidden');
      }
      // Still serving: the refusals did not stop it.
      expect((await observer.request('status', {})).relay.state).toBe('running');
    } finally {
      observer.close();
    }
  });

  it('the operator’s shell still stops the relay (`agentmux relay stop`, no ceremony)', async () => {
    const stopped = await runCli(roots, ['relay', 'stop', '--json', '--bundle', BUNDLE]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ state: 'down' });
  });
});
