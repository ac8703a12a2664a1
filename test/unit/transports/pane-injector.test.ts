import { readFileSync, readdirSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PaneInjector } from '../../../src/transports/tmux/pane-injector.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';
import { FakeRunner, type Answer } from './fake-runner.js';

let roots: TempRoots | undefined;
afterEach(() => roots?.cleanup());

function injector(answer: (args: string[]) => Answer = () => ({})): {
  inject: PaneInjector;
  runner: FakeRunner;
  dir: string;
  seen: { text: string; mode: number }[];
} {
  roots = makeTempRoots('inj');
  const dir = roots.stateDir;
  const seen: { text: string; mode: number }[] = [];
  const runner = new FakeRunner((args) => {
    if (args[0] === 'load-buffer') {
      const file = args[3] ?? '';
      seen.push({ text: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o777 });
    }
    return answer(args);
  });
  return { inject: new PaneInjector({ runner, tmpDir: dir }), runner, dir, seen };
}

describe('PaneInjector.paste', () => {
  it('loads sanitized text from a private file into a named buffer, pastes it and removes the file', async () => {
    const { inject, runner, dir, seen } = injector();
    await inject.paste('%3', 'hi\x1b[201~there\r\nline 2 $HOME ;', '01JD5Z');
    const buffer = runner.calls[0]?.[2] ?? '';
    expect(buffer).toMatch(/^am-01JD5Z-[0-9a-f]{16}$/);
    expect(runner.calls.map((call) => call.filter((arg) => !arg.startsWith(dir)))).toEqual([
      ['load-buffer', '-b', buffer],
      ['paste-buffer', '-p', '-d', '-b', buffer, '-t', '%3'],
    ]);
    expect(runner.calls[0]?.[3]?.startsWith(`${dir}/am-01JD5Z-`)).toBe(true);
    expect(seen).toEqual([{ text: 'hithere\nline 2 $HOME ;', mode: 0o600 }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('deletes the buffer and the file when the pane is gone', async () => {
    const { inject, runner, dir } = injector((args) =>
      args[0] === 'paste-buffer' ? { code: 1, stderr: "can't find pane: %3\n" } : {},
    );
    await expect(inject.paste('%3', 'text', 'b1')).rejects.toMatchObject({ code: 'runtime_target_unavailable' });
    expect(runner.calls.at(-1)).toEqual(['delete-buffer', '-b', runner.calls[0]?.[2]]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives every paste its own unpredictable buffer, even for the same message', async () => {
    const { inject, runner } = injector();
    await Promise.all([inject.paste('%3', 'one', 'm1'), inject.paste('%4', 'one', 'm1')]);
    const loaded = runner.calls.filter((call) => call[0] === 'load-buffer').map((call) => call[2]);
    const pasted = runner.calls.filter((call) => call[0] === 'paste-buffer').map((call) => call[4]);
    expect(new Set(loaded).size).toBe(2);
    expect(pasted.sort()).toEqual([...loaded].sort());
  });

  it('removes the file when loading fails, and pastes nothing for text that sanitizes to nothing', async () => {
    const failing = injector(() => ({ code: 1, stderr: 'no space\n' }));
    await expect(failing.inject.paste('%3', 'text', 'b2')).rejects.toMatchObject({ code: 'runtime_tmux_failed' });
    expect(readdirSync(failing.dir)).toEqual([]);
    const empty = injector();
    await empty.inject.paste('%3', '\x1b[0m\0', 'b3');
    expect(empty.runner.calls).toEqual([]);
  });

  it('rejects pane and buffer ids that are not ids', async () => {
    const { inject } = injector();
    await expect(inject.paste('main', 'x', 'b')).rejects.toMatchObject({ code: 'validation_invalid_params' });
    await expect(inject.paste('%1', 'x', 'a b')).rejects.toMatchObject({ code: 'validation_invalid_params' });
  });
});

describe('PaneInjector.typeLiteral', () => {
  it('types sanitized text literally in chunks of at most 1 KiB', async () => {
    const { inject, runner } = injector();
    const text = `${'é'.repeat(700)}\n-x;`;
    await inject.typeLiteral('%2', `${text}\x07`);
    const chunks = runner.calls.map((call) => {
      expect(call.slice(0, 5)).toEqual(['send-keys', '-l', '-t', '%2', '--']);
      return call[5] ?? '';
    });
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(1024);
  });

  it('waits between chunks only when a delay is configured', async () => {
    roots = makeTempRoots('inj');
    const waits: number[] = [];
    const runner = new FakeRunner();
    const inject = new PaneInjector({
      runner,
      tmpDir: roots.stateDir,
      chunkDelayMs: 5,
      chunkBytes: 4,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await inject.typeLiteral('%1', 'abcdefghij');
    expect(runner.calls.map((call) => call[5])).toEqual(['abcd', 'efgh', 'ij']);
    expect(waits).toEqual([5, 5]);
  });
});

describe('PaneInjector.pressKeys', () => {
  it('sends key names in one command and refuses anything that is not a key name', async () => {
    const { inject, runner } = injector();
    await inject.pressKeys('%1', ['C-u', 'Enter']);
    await inject.pressKeys('%1', []);
    expect(runner.calls).toEqual([['send-keys', '-t', '%1', 'C-u', 'Enter']]);
    for (const bad of ['', 'two words', '-l', 'x\n']) {
      await expect(inject.pressKeys('%1', [bad])).rejects.toMatchObject({ code: 'validation_invalid_params' });
    }
  });
});
