// Issue 9 end to end with scripted agents in real tmux: verified submission against an agent
// that takes a fast Enter as a newline, hook-reported busy/waiting holding messages, a human
// draft never typed into, and resume after the tmux server dies.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { agentToken } from '../../helpers/credentials.js';
import { SCRIPTED_AGENT_PATH, writeScriptedTeam, type ScriptedTeam } from '../../helpers/scripted-team.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'state';
let roots: TempRoots;
let team: ScriptedTeam;

const as = (session: string, args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', session];
// As the agent's own hook runs it: in its pane, with its AGENTMUX_TOKEN.
const hook = (session: string, event: string, payload: object) =>
  runCli(roots, ['hook', '--client', 'claude', event, JSON.stringify(payload)], {
    env: { AGENTMUX_SESSION: session, AGENTMUX_BUNDLE: BUNDLE, AGENTMUX_TOKEN: agentToken(roots, BUNDLE, session) },
  });
interface Listed {
  state: string;
  state_source: string;
  queued: number;
  reason: string | null;
}
const stateOf = async (id: string): Promise<Listed> => {
  const listed = JSON.parse((await runCli(roots, as('user', ['list', '--json']))).stdout) as {
    sessions: ({ id: string } & Listed)[];
  };
  return listed.sessions.find((s) => s.id === id) ?? { state: 'missing', state_source: '', queued: 0, reason: null };
};
/** When the agent submitted its prompts, in ms since the epoch (its own log). */
const submittedAt = (): number[] => team.logged('alice').map((p) => Date.parse(p.at));

afterEach(async () => {
  await runCli(roots, as('user', ['down'])).catch(() => undefined);
  await stopRelay(roots, BUNDLE);
  await team.tmux(['kill-server']).catch(() => undefined);
  roots.cleanup();
});

describe.sequential('agent state and verified submission', () => {
  beforeEach(() => {
    roots = makeTempRoots('state');
  });

  it('submits each message exactly once to an agent that takes a fast Enter as a newline', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [
      { id: 'alice', thinkMs: 100, submitDelayMs: 20, env: { AGENT_ENTER_GUARD_MS: '120' } },
    ]);
    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    for (const body of ['first message', 'second message', 'third message']) {
      const sent = await runCli(
        roots,
        as('user', ['send', '-t', 'alice', '-m', body, '--wait', '--timeout-ms', '20000', '--json']),
      );
      expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    }
    const prompts = team.logged('alice').map((p) => p.text);
    expect(prompts).toHaveLength(3);
    for (const [index, body] of ['first message', 'second message', 'third message'].entries()) {
      expect(prompts[index]?.split(body).length).toBe(2); // the body appears exactly once
    }
  });

  it('holds messages while hooks say busy or waiting, and delivers once idle', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice', thinkMs: 100 }]);
    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    await waitFor(async () => (await stateOf('alice')).state === 'idle', 15_000, 'alice idle');

    expect((await hook('alice', 'UserPromptSubmit', { session_id: 'conv-1', prompt: 'working' })).code).toBe(0);
    expect(await stateOf('alice')).toMatchObject({ state: 'busy', state_source: 'hook' });
    const held = await runCli(roots, as('user', ['send', '-t', 'alice', '-m', 'while busy', '--json']));
    expect(held.code).toBe(0);
    expect(await stateOf('alice')).toMatchObject({ state: 'busy', queued: 1 });

    await hook('alice', 'Notification', { session_id: 'conv-1', notification_type: 'permission_prompt' });
    expect(await stateOf('alice')).toMatchObject({ state: 'waiting_input', state_source: 'hook', queued: 1 });

    const stopAt = Date.now();
    await hook('alice', 'Stop', { session_id: 'conv-1' });
    await waitFor(() => team.logged('alice').length === 1, 15_000, 'delivery after Stop');
    // The agent's own log: one prompt, submitted after Stop — nothing while busy or waiting.
    expect(team.logged('alice')[0]?.text).toContain('while busy');
    expect(submittedAt()[0]).toBeGreaterThanOrEqual(stopAt);
  });

  it('never types into a human draft', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice', thinkMs: 100 }]);
    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    await waitFor(async () => (await stateOf('alice')).state === 'idle', 15_000, 'alice idle');
    await team.tmux(['send-keys', '-t', '=alice:', '-l', 'half a thought']);
    await runCli(roots, as('user', ['send', '-t', 'alice', '-m', 'from the relay']));
    // The relay has looked at the screen since, finds it not ready to type into, and holds
    // the message (the scripted coder's prompt rule does not match a prompt with text on it).
    await waitFor(
      async () => {
        const alice = await stateOf('alice');
        return alice.state !== 'idle' && alice.reason !== null && alice.queued === 1;
      },
      15_000,
      'the relay to hold the message for the draft',
    );
    const screen = (await runCli(roots, as('user', ['look', 'alice', '--json']))).stdout;
    expect(screen).toContain('half a thought');
    expect(screen).not.toContain('from the relay');

    const clearedAt = Date.now();
    await team.tmux(['send-keys', '-t', '=alice:', 'C-u']);
    await waitFor(() => team.logged('alice').length === 1, 15_000, 'delivery after the draft is cleared');
    // The agent's own log: one prompt, submitted after the draft was cleared.
    expect(submittedAt()[0]).toBeGreaterThanOrEqual(clearedAt);
    expect(team.logged('alice')[0]?.text).toContain('from the relay');
    expect(team.logged('alice')[0]?.text).not.toContain('half a thought');
  });

  it('shows an agent held by a draft as "blocked: draft" with the relay\'s reason (issue 22.11)', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice', thinkMs: 100 }]);
    // An empty-composer rule, as the real presets have: a draft is then told from a busy screen.
    const codersPath = join(roots.configDir, 'coders.toml');
    writeFileSync(
      codersPath,
      readFileSync(codersPath, 'utf8').replace(
        /^(prompt-regex = .*)$/m,
        `prompt-regex = ${JSON.stringify('(?m)^agent>')}\nempty-composer-regex = ${JSON.stringify('(?m)^agent>\\s*$')}`,
      ),
    );
    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    await waitFor(async () => (await stateOf('alice')).state === 'idle', 15_000, 'alice idle');
    await team.tmux(['send-keys', '-t', '=alice:', '-l', 'half a thought']);
    await runCli(roots, as('user', ['send', '-t', 'alice', '-m', 'held by the draft']));
    await waitFor(
      async () => ((await stateOf('alice')) as { reason?: string | null }).reason?.startsWith('draft: ') === true,
      15_000,
      'a draft reason',
    );
    const listed = (await runCli(roots, as('user', ['list']))).stdout;
    const row = listed.split('\n').find((line) => line.startsWith('alice')) ?? '';
    expect(row).toContain('blocked: draft');
    expect(row).toContain('the composer is not empty');
    expect(row).not.toContain('ready');
    expect((await runCli(roots, as('user', ['status']))).stdout).toContain('alice blocked: draft');
    await team.tmux(['send-keys', '-t', '=alice:', 'C-u']);
    await waitFor(() => team.logged('alice').length === 1, 15_000, 'delivery after the draft is cleared');
  });

  it('answers two concurrent up calls with created and kept, never a duplicate failure (issue 22.12)', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
    expect((await runCli(roots, as('user', ['list']))).code).toBe(0); // the relay is up; the race is in up
    const [first, second] = await Promise.all([
      runCli(roots, as('user', ['up', '--json'])),
      runCli(roots, as('user', ['up', '--json'])),
    ]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const outcomes = [first, second].map(
      (result) => (JSON.parse(result.stdout) as { sessions: { id: string; outcome: string }[] }).sessions,
    );
    for (const id of ['alice', 'bob']) {
      const seen = outcomes.map((sessions) => sessions.find((s) => s.id === id)?.outcome).sort();
      expect(seen, JSON.stringify(outcomes)).toEqual(['created', 'kept']);
    }
  });

  it('knows its running agents as soon as a restarted relay answers (issue 22.17)', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    await waitFor(async () => (await stateOf('bob')).state === 'idle', 15_000, 'bob idle');
    expect((await runCli(roots, as('user', ['relay', 'stop']))).code).toBe(0);
    // The first answer of the new relay (list starts it) already has them.
    const listed = JSON.parse((await runCli(roots, as('user', ['list', '--json']))).stdout) as {
      sessions: { id: string; state: string }[];
    };
    for (const id of ['alice', 'bob']) expect(listed.sessions.find((s) => s.id === id)?.state).not.toBe('offline');
  });

  it('reports an agent that exits right after up: status, last lines, --fresh advice; up --fresh and down clean up (issue 22.4)', async () => {
    team = writeScriptedTeam(roots, BUNDLE, []);
    const quit = `sh -c 'echo loading; echo No previous sessions found; exit 42' resume`;
    writeFileSync(
      join(roots.configDir, 'coders.toml'),
      [
        'format-version = 1',
        '[[coders]]',
        'id = "quitter"',
        '[coders.tmux]',
        `initial-command = ${JSON.stringify("sh -c 'echo ready; exec cat'")}`,
        `resume-command = ${JSON.stringify(`${quit} {coder-session-id}`)}`,
        '',
      ].join('\n'),
    );
    writeBundle(roots, BUNDLE, [{ id: 'q', coder: 'quitter' }]);
    const bundleFile = join(roots.configDir, 'bundles', `${BUNDLE}.toml`);
    writeFileSync(bundleFile, `${readFileSync(bundleFile, 'utf8')}coder-session-id = "conv-1"\n`);

    const up = await runCli(roots, as('user', ['up', '--json']));
    expect(up.code, up.stderr).toBe(1);
    const outcome = (JSON.parse(up.stdout) as { sessions: Record<string, unknown>[] }).sessions[0];
    expect(outcome).toMatchObject({ id: 'q', outcome: 'failed', exit_status: 42 });
    expect(outcome?.reason).toContain('exited with status 42: No previous sessions found');
    expect(outcome?.reason).toContain('up --fresh');
    expect(outcome?.last_lines).toEqual(['loading', 'No previous sessions found']);

    const listed = JSON.parse((await runCli(roots, as('user', ['list', '--json']))).stdout) as {
      sessions: { id: string; state: string; reason: string | null }[];
    };
    expect(listed.sessions.find((s) => s.id === 'q')).toMatchObject({
      state: 'failed',
      reason: 'exited with status 42: No previous sessions found',
    });
    expect((await runCli(roots, as('user', ['look', 'q']))).stdout).toContain('No previous sessions found');
    const log = readFileSync(join(roots.stateDir, 'bundles', BUNDLE, 'relay.log'), 'utf8');
    expect(log).toContain('"event":"tmux.agent_exited"');

    // --fresh starts the initial command, even over the bundle's coder-session-id.
    const fresh = JSON.parse((await runCli(roots, as('user', ['up', '--fresh', '--json']))).stdout) as {
      sessions: { outcome: string; command: string }[];
    };
    expect(fresh.sessions[0]).toMatchObject({ outcome: 'created', command: "sh -c 'echo ready; exec cat'" });
    await waitFor(async () => (await stateOf('q')).state === 'idle', 15_000, 'q running');
    const down = JSON.parse((await runCli(roots, as('user', ['down', '--json']))).stdout) as {
      sessions: { outcome: string }[];
    };
    expect(down.sessions[0]?.outcome).toBe('stopped');
    expect((await team.tmux(['list-sessions'])).code).not.toBe(0); // nothing left, dead or alive
  });

  it('resumes each agent with its recorded conversation id after the tmux server dies', async () => {
    team = writeScriptedTeam(roots, BUNDLE, [{ id: 'alice' }]);
    // Give the scripted coder a resume-command, as real presets have.
    const codersPath = join(roots.configDir, 'coders.toml');
    const { readFileSync } = await import('node:fs');
    const coders = readFileSync(codersPath, 'utf8').replace(
      /^(initial-command = .*)$/m,
      `$1\nresume-command = ${JSON.stringify(`'${process.execPath}' '${SCRIPTED_AGENT_PATH}' --resume {coder-session-id}`)}`,
    );
    writeFileSync(codersPath, coders);
    writeBundle(roots, BUNDLE, [{ id: 'alice', coder: 'scripted-alice' }]);

    expect((await runCli(roots, as('user', ['up']))).code).toBe(0);
    await hook('alice', 'SessionStart', { session_id: 'conv-42', source: 'startup' });
    await team.tmux(['kill-server']); // a reboot, as far as the agents are concerned
    await waitFor(async () => (await stateOf('alice')).state === 'offline', 15_000, 'alice offline');

    const up = JSON.parse((await runCli(roots, as('user', ['up', '--json']))).stdout) as {
      sessions: { id: string; outcome: string; command: string }[];
    };
    expect(up.sessions[0]).toMatchObject({ id: 'alice', outcome: 'created' });
    expect(up.sessions[0]?.command).toContain('--resume conv-42');
    await waitFor(
      async () => (await runCli(roots, as('user', ['look', 'alice']))).stdout.includes('resumed conversation conv-42'),
      15_000,
      'resumed screen',
    );

    await runCli(roots, as('user', ['down']));
    const fresh = JSON.parse((await runCli(roots, as('user', ['up', '--fresh', '--json']))).stdout) as {
      sessions: { command: string }[];
    };
    expect(fresh.sessions[0]?.command).not.toContain('--resume');
  });
});
