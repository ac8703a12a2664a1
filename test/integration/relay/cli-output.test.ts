// What the CLI's text output does to the reader's terminal, through the real CLI and relay: a
// hostile body (OSC 52 clipboard write, title change, erase line + carriage return forging a
// line) is shown with its controls visible (`^[`, `^M`, `^G`) by history, inbox and watch,
// while `--json` stays byte-exact; and a reader that closes stdout early (`| head -1`) ends
// the command quietly.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTMUX_BIN, cliEnv, runCli, spawnCli, stopRelay, writeBundle } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/client.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

const BUNDLE = 'team';
const HOSTILE = '\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;PWNED\u0007\u001b[2K\r12:00:00 user → bob [FAKE]\u009b31m';
let roots: TempRoots;

beforeEach(() => {
  roots = makeTempRoots('out');
  writeBundle(roots, BUNDLE, [{ id: 'alice' }, { id: 'bob' }]);
});

afterEach(async () => {
  await stopRelay(roots, BUNDLE);
  roots.cleanup();
});

const as = (session: string, args: string[]): string[] => [...args, '--bundle', BUNDLE, '--as-session', session];

/** No byte a terminal would act on, except the newlines between lines. */
function expectInert(text: string): void {
  // eslint-disable-next-line no-control-regex
  expect(text.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g) ?? []).toEqual([]);
}

function expectVisible(text: string): void {
  expect(text).toContain('^[]52;c;cm0gLXJmIH4=^G^[]0;PWNED^G^[[2K^M12:00:00 user → bob [FAKE]M-^[31m');
}

async function sendHostile(subject?: string): Promise<string> {
  const sent = await runCli(
    roots,
    as('alice', ['send', '-t', 'bob', '-m', HOSTILE, ...(subject ? ['--subject', subject] : []), '--json']),
  );
  expect(sent.code, sent.stderr).toBe(0);
  return (JSON.parse(sent.stdout) as { message_id: string }).message_id;
}

describe('hostile message text on the reader terminal', () => {
  // Timeouts here are hang guards for a loaded machine.
  it('history and inbox show controls visibly, --json keeps them exact', { timeout: 120_000 }, async () => {
    await sendHostile('\u001b]0;subject title\u0007');
    for (const command of [as('bob', ['inbox', '--peek']), as('alice', ['history'])]) {
      const shown = await runCli(roots, command);
      expect(shown.code, shown.stderr).toBe(0);
      expectInert(shown.stdout);
      expectVisible(shown.stdout);
      expect(shown.stdout).toContain('· ^[]0;subject title^G');
    }
    const json = await runCli(roots, as('bob', ['inbox', '--peek', '--json']));
    expect((JSON.parse(json.stdout) as { body: string; subject: string }[])[0]).toMatchObject({
      body: HOSTILE,
      subject: '\u001b]0;subject title\u0007',
    });
    const history = await runCli(roots, as('alice', ['history', '--json']));
    expect(history.stdout).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('watch (text mode) shows controls visibly', { timeout: 120_000 }, async () => {
    const watcher = spawnCli(roots, as('bob', ['watch']));
    let stdout = '';
    watcher.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    try {
      const id = await sendHostile();
      await waitFor(() => stdout.includes(`[${id}]`) && stdout.includes('[FAKE]'), 10_000, 'the message in watch');
      expectInert(stdout);
      expectVisible(stdout);
    } finally {
      watcher.kill('SIGINT');
    }
    expect(await new Promise<number | null>((resolve) => watcher.on('exit', (code) => resolve(code)))).toBe(0);
  });
});

/** Runs `agentmux …args | head -1` without a shell: stdout's reader goes away after one line. */
function intoHeadOne(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(AGENTMUX_BIN, args, { env: cliEnv(roots), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      if (first !== '') return;
      first = chunk.toString('utf8').split('\n')[0] ?? '';
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, first }));
  });
}

describe('a closed stdout', () => {
  it('ends history quietly, without a stack trace', { timeout: 120_000 }, async () => {
    // Enough output that the writes outlive the reader.
    const alice = as('alice', ['send', '-t', 'bob']);
    const big = { input: 'x'.repeat(200_000) };
    expect((await runCli(roots, alice, big)).code).toBe(0);
    const sent = await Promise.all(Array.from({ length: 5 }, () => runCli(roots, alice, big)));
    expect(sent.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const result = await intoHeadOne(as('alice', ['history', '--limit', '6']));
    expect(result.first).toMatch(/alice → bob/);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
