// Types text into a pane (DESIGN "Settled details" 14): message text never goes on a tmux
// command line. It is sanitized, written to a private file, loaded into a uniquely named buffer
// and pasted with `paste-buffer -p -d` (bracketed only if the program asked for it).
import { randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizePaneText } from '../../core/sanitize.js';
import { tmuxCommandError, type TmuxRunner } from './runner.js';
import { checkPaneId, invalidParams, isGone, paneGoneError } from './tmux-targets.js';
import { LITERAL_CHUNK_BYTES, splitUtf8 } from './utf8-chunks.js';

/** What the injector needs: a runner, a private (0700) directory for paste files, and timing. */
export interface PaneInjectorOptions {
  runner: TmuxRunner;
  /** A directory only we can read (the bundle's 0700 runtime dir); paste files live there briefly. */
  tmpDir: string;
  /** Waits between literal chunks; injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Pause between `send-keys -l` chunks; default 0 (tmux queues the input itself). */
  chunkDelayMs?: number;
  /** Largest `send-keys -l` chunk in UTF-8 bytes; default 1024. */
  chunkBytes?: number;
}

const BUFFER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** What a line break becomes when a coder without paste names no newline keys. */
export const LINE_BREAK_MARK = ' ⏎ ';
const KEY_NAME = /^(?!-)[^\s\p{Cc}]{1,32}$/u;

/** Types text and keys into panes; each method targets a pane id and throws AgentmuxError. */
export class PaneInjector {
  private readonly runner: TmuxRunner;
  private readonly tmpDir: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly chunkDelayMs: number;
  private readonly chunkBytes: number;

  constructor(options: PaneInjectorOptions) {
    this.runner = options.runner;
    this.tmpDir = options.tmpDir;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.chunkBytes = options.chunkBytes ?? LITERAL_CHUNK_BYTES;
  }

  /**
   * Pastes the sanitized `text` as one paste: 0600 file → `load-buffer -b am-<bufferId>-<random>` →
   * `paste-buffer -p -d` (the buffer is deleted by the paste, or explicitly when the paste fails)
   * → the file is removed. Newlines reach the program as CR inside the paste, like a terminal's
   * paste. Text that sanitizes to nothing is not pasted. Does not press Enter.
   */
  async paste(paneId: string, text: string, bufferId: string): Promise<void> {
    checkPaneId(paneId);
    if (!BUFFER_ID.test(bufferId)) throw invalidParams(`not a usable buffer id: ${JSON.stringify(bufferId)}`);
    const clean = sanitizePaneText(text);
    if (clean === '') return;
    // One buffer per paste, named unpredictably: recipients of one message paste concurrently,
    // and a shared `am-<message id>` was deleted by the first paste under the others.
    const buffer = `am-${bufferId}-${randomBytes(8).toString('hex')}`;
    const file = join(this.tmpDir, `${buffer}-${randomBytes(6).toString('hex')}.txt`);
    await writeFile(file, clean, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    try {
      await this.checked(paneId, ['load-buffer', '-b', buffer, file]);
      try {
        await this.checked(paneId, ['paste-buffer', '-p', '-d', '-b', buffer, '-t', paneId]);
      } catch (error) {
        await this.runner.run(['delete-buffer', '-b', buffer]).catch(() => undefined);
        throw error;
      }
    } finally {
      await unlink(file).catch(() => undefined);
    }
  }

  /**
   * Types the sanitized `text` with `send-keys -l` in chunks of at most 1 KiB, split between
   * characters; for programs that cannot take a bracketed paste (`paste = false`). A newline is
   * typed as LF (C-j), which such programs treat as a new line, not as Enter.
   */
  async typeLiteral(paneId: string, text: string): Promise<void> {
    checkPaneId(paneId);
    const chunks = splitUtf8(sanitizePaneText(text), this.chunkBytes);
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0 && this.chunkDelayMs > 0) await this.sleep(this.chunkDelayMs);
      await this.checked(paneId, ['send-keys', '-l', '-t', paneId, '--', chunk]);
    }
  }

  /**
   * Types the sanitized `text` for a program without bracketed paste, never letting one of its
   * line breaks act as Enter: each line is typed with `send-keys -l`, and between lines
   * `newlineKeys` are pressed (the program's own line-break keys), or, without them, the
   * visible separator ` ⏎ ` is typed and the message arrives as one line.
   */
  async typeLines(paneId: string, text: string, newlineKeys: readonly string[] | undefined): Promise<void> {
    const lines = sanitizePaneText(text).split('\n');
    if (newlineKeys === undefined || newlineKeys.length === 0) {
      await this.typeLiteral(paneId, lines.join(LINE_BREAK_MARK));
      return;
    }
    for (const [index, line] of lines.entries()) {
      if (index > 0) await this.pressKeys(paneId, [...newlineKeys]);
      if (line !== '') await this.typeLiteral(paneId, line);
    }
  }

  /** Presses tmux keys by name (`Enter`, `C-u`, `Escape`, `BSpace` …), in order, in one command. */
  async pressKeys(paneId: string, keys: string[]): Promise<void> {
    checkPaneId(paneId);
    if (keys.length === 0) return;
    for (const key of keys) if (!KEY_NAME.test(key)) throw invalidParams(`not a tmux key name: ${JSON.stringify(key)}`);
    await this.checked(paneId, ['send-keys', '-t', paneId, ...keys]);
  }

  /**
   * Sends the focus-in report (`ESC [ I`) an attached terminal would send: an agent that enabled
   * focus reporting and was told it lost focus may ignore input until then (Gemini CLI).
   */
  async focusIn(paneId: string): Promise<void> {
    checkPaneId(paneId);
    await this.checked(paneId, ['send-keys', '-t', paneId, '-H', '1b', '5b', '49']);
  }

  private async checked(paneId: string, args: string[]): Promise<void> {
    const result = await this.runner.run(args);
    if (result.code === 0) return;
    if (isGone(result)) throw paneGoneError(paneId, result);
    throw tmuxCommandError(args, result);
  }
}
