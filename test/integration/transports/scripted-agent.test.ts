import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEnvelope } from '../../../src/core/envelope.js';
import { genericDetector } from '../../../src/transports/readiness/generic.js';
import type { ScreenRules, ScreenVerdict } from '../../../src/transports/readiness/types.js';
import { TmuxControlClient } from '../../../src/transports/tmux/control-client.js';
import { PaneInjector } from '../../../src/transports/tmux/pane-injector.js';
import type { TmuxRunner } from '../../../src/transports/tmux/runner.js';
import { SCRIPTED_AGENT, makeTmuxFixture, shellCommand, waitFor, type TmuxFixture } from './tmux-fixture.js';

let fixture: TmuxFixture | undefined;
let runner: TmuxRunner | undefined;
afterEach(async () => {
  runner?.close();
  runner = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

// The prompt is somewhere in the last 3 lines (a multi-line draft continues below it), and the
// composer is empty when the last line is the bare prompt (capture-pane trims its trailing space).
const rules: ScreenRules = {
  promptRegex: /^agent>/mu,
  promptInspectLines: 3,
  promptIdleColumn: 7,
  busyRegex: /thinking…/u,
  emptyComposerRegex: /(?:^|\n)agent>$/u,
};

interface Agent {
  paneId: string;
  inject: PaneInjector;
  log: string;
  logged(): { at: string; text: string }[];
  verdict(): Promise<ScreenVerdict>;
  screen(): Promise<string[]>;
}

async function startAgent(
  env: Record<string, string>,
  prepare: (runtimeDir: string) => Record<string, string> = () => ({}),
): Promise<Agent> {
  fixture = makeTmuxFixture();
  const { server, runtimeDir, socket } = fixture;
  const log = join(runtimeDir, 'agent-log.jsonl');
  const extra = prepare(runtimeDir);
  const { paneId } = await server.newSession({
    id: 'agent',
    cwd: runtimeDir,
    command: shellCommand([process.execPath, SCRIPTED_AGENT]),
    env: { AGENT_LOG: log, ...env, ...extra },
    width: 160,
    height: 30,
  });
  runner = await TmuxControlClient.start({ socket, session: 'agent' });
  const screen = (): Promise<string[]> => server.capture(paneId);
  const verdict = async (): Promise<ScreenVerdict> => {
    const info = await server.paneInfo(paneId);
    return genericDetector.assess(
      {
        lines: await screen(),
        cursorX: info?.cursorX ?? -1,
        cursorY: info?.cursorY ?? -1,
        inMode: info?.inMode ?? false,
      },
      rules,
    );
  };
  const logged = (): { at: string; text: string }[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as { at: string; text: string })
      : [];
  await waitFor(async () => (await verdict()).state === 'ready', 'the agent prompt');
  return { paneId, inject: new PaneInjector({ runner, tmpDir: runtimeDir }), log, logged, verdict, screen };
}

const envelope = (id: string, body: string): string =>
  renderEnvelope({
    id,
    nonce: 'a1b2c3d4e5f6',
    from: 'alice',
    to: ['agent'],
    cc: [],
    thread: id,
    subject: 'hello',
    body,
    replyHint: true,
  });

describe('scripted agent in a real pane', () => {
  it('takes a pasted envelope, shows it, goes busy, then ready, and logs exactly what was submitted', async () => {
    const agent = await startAgent({ AGENT_THINK_MS: '800' });
    const text = envelope('01JD5Z8X9Q7M2K4N6P8R0T2V4W', 'Please look at 中文 😀\nand reply.');
    await agent.inject.paste(agent.paneId, text, 'env1');
    await waitFor(
      async () => (await agent.screen()).includes('  --agentmux-01JD5Z8X9Q7M2K4N6P8R0T2V4W.a1b2c3d4e5f6--'),
      'the pasted envelope',
    );
    // Six lines push the prompt out of the three inspected lines: not recognisable as idle.
    expect(await agent.verdict()).toMatchObject({ state: 'not_ready', reason: expect.stringContaining('prompt rule') });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await agent.inject.pressKeys(agent.paneId, ['Enter']);
    await waitFor(async () => (await agent.verdict()).state === 'busy', 'the busy line');
    await waitFor(async () => (await agent.verdict()).state === 'ready', 'the agent to finish');
    expect(agent.logged().map((entry) => entry.text)).toEqual([text]);
    expect(await agent.screen()).toContain('answer: --agentmux-01JD5Z8X9Q7M2K4N6P8R0T2V4W.a1b2c3d4e5f6');
  });

  it('clears the composer on C-u and ignores Enter on an empty composer', async () => {
    const agent = await startAgent({ AGENT_THINK_MS: '0' });
    await agent.inject.typeLiteral(agent.paneId, 'half-written\nthought');
    await waitFor(async () => (await agent.verdict()).state === 'draft', 'the draft');
    await agent.inject.pressKeys(agent.paneId, ['C-u']);
    await waitFor(async () => (await agent.verdict()).state === 'ready', 'the cleared composer');
    await agent.inject.pressKeys(agent.paneId, ['Enter']);
    await agent.inject.typeLiteral(agent.paneId, 'real');
    await agent.inject.pressKeys(agent.paneId, ['Enter']);
    await waitFor(() => agent.logged().length === 1, 'the submission');
    expect(agent.logged().map((entry) => entry.text)).toEqual(['real']);
  });

  it('treats an Enter right after a paste as a newline when the Enter guard is on', async () => {
    const agent = await startAgent({ AGENT_THINK_MS: '0', AGENT_ENTER_GUARD_MS: '300' });
    await agent.inject.paste(agent.paneId, 'guarded text', 'guard');
    await agent.inject.pressKeys(agent.paneId, ['Enter']);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(agent.logged()).toEqual([]);
    expect((await agent.verdict()).state).toBe('draft');
    await agent.inject.pressKeys(agent.paneId, ['Enter']);
    await waitFor(() => agent.logged().length === 1, 'the submission');
    expect(agent.logged()[0]?.text).toBe('guarded text\n');
  });

  it('replies to the sender through $AGENTMUX_COMMAND, at most AGENT_MAX_REPLIES times', async () => {
    let argvLog = '';
    const agent = await startAgent(
      { AGENT_THINK_MS: '0', AGENT_REPLY: '1', AGENT_MAX_REPLIES: '1', AGENT_NAME: 'bob' },
      (dir) => {
        argvLog = join(dir, 'argv.jsonl');
        const fake = join(dir, 'fake-agentmux.mjs');
        writeFileSync(
          fake,
          `#!${process.execPath}\nimport { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(argvLog)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
        );
        chmodSync(fake, 0o755);
        return { AGENTMUX_COMMAND: fake };
      },
    );
    const replies = (): string[][] =>
      existsSync(argvLog)
        ? readFileSync(argvLog, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as string[])
        : [];
    const submit = async (text: string, bufferId: string): Promise<void> => {
      await agent.inject.paste(agent.paneId, text, bufferId);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await agent.inject.pressKeys(agent.paneId, ['Enter']);
    };
    await submit(envelope('01JD5Z8X9Q7M2K4N6P8R0T2V4A', 'first question\nmore detail'), 'r1');
    await waitFor(() => replies().length === 1, 'the reply command');
    expect(replies()).toEqual([
      [
        'send',
        '--reply-to',
        '01JD5Z8X9Q7M2K4N6P8R0T2V4A',
        '--target',
        'alice',
        '--message',
        'answer from bob: first question',
      ],
    ]);
    await waitFor(async () => (await agent.screen()).includes('replied to alice'), 'the reply report');
    await submit(envelope('01JD5Z8X9Q7M2K4N6P8R0T2V4B', 'second question'), 'r2');
    await waitFor(
      async () => (await agent.screen()).some((row) => row.startsWith('reply limit reached (1)')),
      'the reply limit',
    );
    expect(agent.logged()).toHaveLength(2);
    expect(replies()).toHaveLength(1);
  });
});
