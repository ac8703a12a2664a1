import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizePaneText } from '../../../src/core/sanitize.js';
import { TmuxControlClient } from '../../../src/transports/tmux/control-client.js';
import { PaneInjector } from '../../../src/transports/tmux/pane-injector.js';
import { SpawnTmuxRunner, type TmuxRunner } from '../../../src/transports/tmux/runner.js';
import { SCRIPTED_AGENT, makeTmuxFixture, shellCommand, waitFor, type TmuxFixture } from './tmux-fixture.js';

let fixture: TmuxFixture | undefined;
let runner: TmuxRunner | undefined;
afterEach(async () => {
  runner?.close();
  runner = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

const UNICODE =
  'emoji 😀👍🏽 family 👩‍👩‍👧 flags 🇩🇪 | CJK 中文字符 日本語 한국어 | combining e\u0301 a\u0308 n\u0303 | RTL שלום مرحبا | math ∑∫√ | nbsp\u00a0here';
const MULTILINE = 'first line\nsecond line with  two spaces\n\n\tindented with a tab\nlast line ;';
const ONE_KIB = 'x'.repeat(1000) + 'ABCDEFGHIJKLMNOPQRSTUVWX';
const TEN_KIB = Array.from(
  { length: 160 },
  (_, index) => `line ${String(index).padStart(3, '0')} ${'0123456789abcdef'.repeat(4)}`,
).join('\n');

/** A pane whose program records every byte it receives (raw tty, no echo) into a file. */
async function recordingPane(
  kind: 'spawn' | 'control',
  options: { bracketedPaste?: boolean } = {},
): Promise<{ inject: PaneInjector; paneId: string; received: () => Buffer }> {
  fixture = makeTmuxFixture();
  const file = join(fixture.runtimeDir, 'received.bin');
  const enable = options.bracketedPaste === true ? "printf '\\033[?2004h'; " : '';
  const script = `stty raw -echo; ${enable}printf READY; exec cat > '${file}'`;
  const { paneId } = await fixture.server.newSession({
    id: 'rec',
    cwd: fixture.runtimeDir,
    command: shellCommand(['sh', '-c', script]),
    env: {},
    width: 200,
    height: 50,
  });
  await waitFor(
    async () => (await fixture?.server.capture(paneId))?.some((row) => row.includes('READY')),
    'the recorder to start',
  );
  runner =
    kind === 'control'
      ? await TmuxControlClient.start({ socket: fixture.socket, session: 'rec' })
      : new SpawnTmuxRunner({ socket: fixture.socket });
  return {
    inject: new PaneInjector({ runner, tmpDir: fixture.runtimeDir }),
    paneId,
    received: () => readFileSync(file),
  };
}

async function receivedExactly(received: () => Buffer, expected: string): Promise<void> {
  const bytes = Buffer.from(expected, 'utf8');
  await waitFor(() => statSafe(received) >= bytes.length, `${bytes.length} bytes to arrive`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(received().toString('utf8')).toBe(expected);
}

function statSafe(received: () => Buffer): number {
  try {
    return received().length;
  } catch {
    return -1;
  }
}

describe.each(['control', 'spawn'] as const)('PaneInjector into a real pane (%s runner)', (kind) => {
  it.each([
    ['1 KiB', ONE_KIB],
    ['10 KiB', TEN_KIB],
    ['Unicode', UNICODE],
    ['multi-line', MULTILINE],
  ])('pastes %s intact (newlines arrive as CR, like a terminal paste)', async (_name, text) => {
    const { inject, paneId, received } = await recordingPane(kind);
    await inject.paste(paneId, text, `t${kind}`);
    await receivedExactly(received, text.replace(/\n/g, '\r'));
    expect((await runner?.run(['list-buffers', '-F', '#{buffer_name}']))?.stdout).toBe('');
  });

  it.each([
    ['10 KiB', TEN_KIB],
    ['Unicode', UNICODE],
    ['multi-line', MULTILINE],
  ])('types %s literally and intact', async (_name, text) => {
    const { inject, paneId, received } = await recordingPane(kind);
    await inject.typeLiteral(paneId, text);
    await receivedExactly(received, text);
  });

  it('brackets a paste for a program that enabled bracketed paste, and no marker in the text survives', async () => {
    const { inject, paneId, received } = await recordingPane(kind, { bracketedPaste: true });
    const hostile = 'before\x1b[201~\rrm -rf ~ #{pane_id} $HOME\x1b]0;title\x07\x00after\x1b[200~';
    await inject.paste(paneId, hostile, 'hostile');
    await receivedExactly(received, `\x1b[200~${sanitizePaneText(hostile).replace(/\n/g, '\r')}\x1b[201~`);
    expect(received().toString('utf8')).toBe('\x1b[200~before\rrm -rf ~ #{pane_id} $HOMEafter\x1b[201~');
  });

  it('presses named keys', async () => {
    const { inject, paneId, received } = await recordingPane(kind);
    await inject.pressKeys(paneId, ['Enter', 'C-u', 'Tab', 'BSpace']);
    await receivedExactly(received, '\r\x15\t\x7f');
  });

  it('leaves no paste file behind', async () => {
    const { inject, paneId } = await recordingPane(kind);
    await inject.paste(paneId, 'x', 'files');
    expect(readdirSync(fixture?.runtimeDir ?? '').filter((name) => name.startsWith('am-'))).toEqual([]);
    expect(statSync(fixture?.runtimeDir ?? '').mode & 0o777).toBe(0o700);
  });
});

describe('PaneInjector and capture-pane', () => {
  it('shows pasted multi-line Unicode in the scripted agent’s composer exactly', async () => {
    fixture = makeTmuxFixture();
    const { server } = fixture;
    const { paneId } = await server.newSession({
      id: 'agent',
      cwd: fixture.runtimeDir,
      command: shellCommand([process.execPath, SCRIPTED_AGENT]),
      env: {},
      width: 160,
      height: 20,
    });
    await waitFor(async () => (await server.capture(paneId)).includes('agent>'), 'the agent prompt');
    runner = await TmuxControlClient.start({ socket: fixture.socket, session: 'agent' });
    const inject = new PaneInjector({ runner, tmpDir: fixture.runtimeDir });
    const lines = ['emoji 😀👍🏽 CJK 中文字符 한국어', 'combining e\u0301 a\u0308', 'plain ascii'];
    await inject.paste(paneId, lines.join('\n'), 'capture');
    const expected = [`agent> ${lines[0]}`, `  ${lines[1]}`, `  ${lines[2]}`];
    const screen = await waitFor(async () => {
      const rows = await server.capture(paneId);
      return rows.includes(expected[2] ?? '') && rows;
    }, 'the pasted text on screen');
    const at = screen.indexOf(expected[0] ?? '');
    expect(screen.slice(at, at + 3)).toEqual(expected);
  });
});
