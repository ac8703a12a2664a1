// `agentmux hook` with a fake outside world: identity only from AGENTMUX_*, payload from the
// last argument or stdin, failures swallowed, and the report it sends.
import { describe, expect, it } from 'vitest';
import { parseHookArgv, runHook, type HookIo, type ReportTarget } from '../../../src/cli/commands/hook.js';
import type { SessionReportParams } from '../../../src/core/protocol/index.js';

interface Fake extends HookIo {
  stdinReads: number;
  sent: { target: ReportTarget; params: SessionReportParams }[];
}

function fakeIo(env: Record<string, string>, stdin?: string, fail?: Error): Fake {
  const io: Fake = {
    env,
    stdinReads: 0,
    sent: [],
    readStdin: () => {
      io.stdinReads += 1;
      return Promise.resolve(stdin);
    },
    report: (target, params) => {
      if (fail) return Promise.reject(fail);
      io.sent.push({ target, params });
      return Promise.resolve();
    },
    remainingMs: () => 500,
  };
  return io;
}

const AGENT_ENV = { AGENTMUX_SESSION: 'bob', AGENTMUX_BUNDLE: 'team', AGENTMUX_STATE_DIR: '/state' };

describe('runHook', () => {
  it('reports the mapped state as $AGENTMUX_SESSION to the bundle socket, payload from stdin', async () => {
    const io = fakeIo(AGENT_ENV, JSON.stringify({ session_id: 'conv-1', prompt: '--agentmux-01J\nhi' }));
    const outcome = await runHook({ client: 'claude', positionals: ['UserPromptSubmit'] }, io);
    expect(outcome).toEqual({
      kind: 'reported',
      params: { event: 'UserPromptSubmit', state: 'busy', conversation_id: 'conv-1', prompt: '--agentmux-01J\nhi' },
    });
    expect(io.sent[0]?.target).toEqual({ socket: '/state/bundles/team/relay.sock', bundle: 'team', session: 'bob' });
  });

  it('takes a JSON last argument as the payload and never reads stdin then (Codex notify)', async () => {
    const io = fakeIo(AGENT_ENV, 'not read');
    const payload = JSON.stringify({ type: 'agent-turn-complete', 'thread-id': 'th-9', 'input-messages': ['x'] });
    const outcome = await runHook({ client: 'codex', positionals: [payload] }, io);
    expect(outcome).toMatchObject({ kind: 'reported', params: { state: 'idle', conversation_id: 'th-9' } });
    expect(io.stdinReads).toBe(0);
  });

  it('honours --bundle and --state-directory over the environment', async () => {
    const io = fakeIo(AGENT_ENV, '{}');
    await runHook({ client: 'gemini', positionals: ['AfterAgent'], bundle: 'other', stateDirectory: '/s2' }, io);
    expect(io.sent[0]?.target.socket).toBe('/s2/bundles/other/relay.sock');
  });

  it('does nothing at all without AGENTMUX_SESSION, AGENTMUX_BUNDLE or a known client', async () => {
    for (const [env, client] of [
      [{ AGENTMUX_BUNDLE: 'team' }, 'claude'],
      [{ AGENTMUX_SESSION: 'bob' }, 'claude'],
      [AGENT_ENV, 'cursor'],
      [AGENT_ENV, undefined],
    ] as const) {
      const io = fakeIo(env, '{}');
      const outcome = await runHook({ client, positionals: ['Stop'] }, io);
      expect(outcome.kind).toBe('skipped');
      expect(io.stdinReads + io.sent.length).toBe(0);
    }
  });

  it('sends nothing for events without meaning', async () => {
    const io = fakeIo(AGENT_ENV, '{"notification_type":"auth_success"}');
    expect(await runHook({ client: 'claude', positionals: ['Notification'] }, io)).toEqual({
      kind: 'ignored',
      event: 'Notification',
    });
    expect(io.sent).toHaveLength(0);
  });

  it('turns every failure into an outcome instead of throwing', async () => {
    const down = fakeIo(AGENT_ENV, '{}', new Error('relay unavailable'));
    expect(await runHook({ client: 'claude', positionals: ['Stop'] }, down)).toEqual({
      kind: 'failed',
      reason: 'relay unavailable',
    });
    const badBundle = fakeIo({ ...AGENT_ENV, AGENTMUX_BUNDLE: '../etc' }, '{}');
    expect((await runHook({ client: 'claude', positionals: ['Stop'] }, badBundle)).kind).toBe('failed');
  });
});

describe('parseHookArgv (the fast path, without yargs)', () => {
  it('reads --client, --bundle and --state-directory, keeps positionals, ignores the rest', () => {
    const json = '{"type":"agent-turn-complete"}';
    expect(parseHookArgv(['--client', 'codex', json])).toEqual({
      client: 'codex',
      positionals: [json],
      bundle: undefined,
      stateDirectory: undefined,
    });
    expect(
      parseHookArgv(['--client=claude', 'Stop', '-b', 'team', '--state-directory', '/s', '--unknown', '--x=1']),
    ).toMatchObject({ client: 'claude', positionals: ['Stop'], bundle: 'team', stateDirectory: '/s' });
  });
});
