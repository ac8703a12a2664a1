#!/usr/bin/env node
// An offline stand-in for an agent CLI, for tests and demos (plain Node, no dependencies).
// It behaves like the real ones where agentmux cares: it enables bracketed paste, keeps a
// composer on an `agent> ` prompt line, submits on Enter (CR), then shows a busy line for a
// while, prints an answer and returns to the prompt.
//
// Environment:
//   AGENT_NAME            name used in answers and replies (default "agent")
//   AGENT_THINK_MS        how long the busy line `thinking… (Ns)` stays (default 1500)
//   AGENT_REPLY=1         reply to the sender of an agentmux envelope with
//                         "$AGENTMUX_COMMAND" send --reply-to <id> --target <sender> --message <text>
//   AGENT_REPLY=hint      reply by running the envelope's own `Reply:` line through sh, with
//                         "..." replaced by the answer (as a model following the hint would)
//   AGENT_LF_ENTER=1      a line feed (C-j) submits like Enter, as in readline-style CLIs; then
//                         Alt-Enter (ESC CR) adds a newline
//   AGENT_MAX_REPLIES     at most this many replies per process, so two agents cannot ping-pong
//                         forever (default 3)
//   AGENT_ENTER_GUARD_MS  if > 0, an Enter within this many ms of other input is a newline, like
//                         the paste-burst heuristics of Claude Code and Codex CLI (default 0)
//   AGENT_LOG=<file>      append one JSON line {at, text} per submitted prompt
//   AGENT_INPUT_LOG=<file> append every chunk read from the terminal, raw (escape sequences
//                         and all), as one JSON string per line: what the pane really typed
//   --resume <id>         (argument) print "resumed conversation <id>" at start, like a resumed CLI
//   AGENT_HANDOFF=<id>    instead of replying to the sender, pass the work on to session <id>
//                         (in the same thread), like a pipeline of agents
//   AGENT_COLLAPSE_PASTE=<n> a paste of more than n lines is drawn in the composer as
//                         `[Pasted Text: N lines]`, as Gemini CLI does (the text itself is kept)
//
// Keys: Enter submits, C-j adds a newline (unless AGENT_LF_ENTER=1), Backspace deletes, C-u and C-c clear the composer,
// Escape interrupts while busy, C-d on an empty composer exits.
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const PROMPT = 'agent> ';
const CONTINUATION = '  ';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
const name = process.env.AGENT_NAME || 'agent';
const thinkMs = intFromEnv('AGENT_THINK_MS', 1500);
const replyByHint = process.env.AGENT_REPLY === 'hint';
const replyEnabled = process.env.AGENT_REPLY === '1' || replyByHint || Boolean(process.env.AGENT_HANDOFF);
const lfEnters = process.env.AGENT_LF_ENTER === '1';
const maxReplies = intFromEnv('AGENT_MAX_REPLIES', 3);
const enterGuardMs = intFromEnv('AGENT_ENTER_GUARD_MS', 0);
const logFile = process.env.AGENT_LOG || '';
const inputLogFile = process.env.AGENT_INPUT_LOG || '';
const handoff = process.env.AGENT_HANDOFF || '';
const collapseOver = intFromEnv('AGENT_COLLAPSE_PASTE', 0);

let composer = '';
// Collapsed pastes in the composer: [text as kept, placeholder as drawn].
let collapsed = [];
let pasted = null; // the paste being received, when pastes collapse
let busy = null; // { timer, ticker, text } while thinking
let inPaste = false;
let lastInputAt = -Infinity;
let replies = 0;
let carry = '';
let escapeTimer = null;
const decoder = new StringDecoder('utf8');

function intFromEnv(key, fallback) {
  const value = Number.parseInt(process.env[key] ?? '', 10);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

function write(text) {
  process.stdout.write(text);
}

// Terminal lines for text that may contain newlines (the terminal is raw: \n does not return).
function asLines(text, indent) {
  return text.split('\n').join(`\r\n${indent}`);
}

// The composer as drawn: collapsed pastes show as their placeholders.
function shown() {
  return collapsed.reduce((text, [paste, placeholder]) => text.replace(paste, placeholder), composer);
}

function composerRows() {
  const columns = process.stdout.columns || 80;
  return shown()
    .split('\n')
    .reduce(
      (rows, line, index) =>
        rows + Math.max(1, Math.ceil(((index === 0 ? PROMPT : CONTINUATION).length + line.length) / columns)),
      0,
    );
}

function redrawComposer(before) {
  const up = Math.min(before, process.stdout.rows || 24) - 1;
  write(`${up > 0 ? `\x1b[${up}A` : ''}\r\x1b[J${PROMPT}${asLines(shown(), CONTINUATION)}`);
}

function addToComposer(char) {
  composer += char;
  lastInputAt = Date.now();
  if (!busy) write(char === '\n' ? `\r\n${CONTINUATION}` : char);
}

function backspace() {
  if (composer === '') return;
  const before = composerRows();
  const fold = collapsed.at(-1);
  if (fold !== undefined && composer.endsWith(fold[0])) {
    // A collapsed paste goes as a whole, as it came.
    composer = composer.slice(0, -fold[0].length);
    collapsed.pop();
    if (!busy) redrawComposer(before);
    return;
  }
  const chars = [...composer];
  const last = chars.pop();
  composer = chars.join('');
  lastInputAt = Date.now();
  if (busy) return;
  const width = charWidth(last);
  if (last === '\n') redrawComposer(before);
  else if (width > 0) write(`${'\b'.repeat(width)}${' '.repeat(width)}${'\b'.repeat(width)}`);
}

// Terminal columns of one character, roughly: combining marks 0, East Asian wide and emoji 2.
function charWidth(char) {
  const code = char.codePointAt(0);
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

function clearComposer() {
  const before = composerRows();
  composer = '';
  collapsed = [];
  if (!busy) redrawComposer(before);
}

function enter() {
  if (busy) return; // like a CLI that keeps typed text while it works
  if (enterGuardMs > 0 && Date.now() - lastInputAt < enterGuardMs) {
    addToComposer('\n');
    return;
  }
  if (composer.trim() === '') return;
  submit();
}

function submit() {
  const text = composer;
  composer = '';
  collapsed = [];
  if (logFile !== '') appendFileSync(logFile, `${JSON.stringify({ at: new Date().toISOString(), text })}\n`);
  write(`\r\n${asLines(text, '')}\r\n`);
  const started = Date.now();
  const status = () => `\r\x1b[2Kthinking… (${((Date.now() - started) / 1000).toFixed(1)}s · esc to interrupt)`;
  busy = { text, ticker: null, timer: null };
  if (thinkMs > 0) {
    write(status());
    busy.ticker = setInterval(() => write(status()), 250);
  }
  busy.timer = setTimeout(() => void finish(), thinkMs);
}

async function finish() {
  const { text, ticker } = busy;
  clearInterval(ticker);
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  write(`\r\x1b[2Kanswer: ${firstLine}\r\n`);
  if (replyEnabled) await reply(text);
  busy = null;
  write(`${PROMPT}${asLines(shown(), CONTINUATION)}`);
}

function interrupt() {
  clearTimeout(busy.timer);
  clearInterval(busy.ticker);
  busy = null;
  write(`\r\x1b[2K■ interrupted\r\n${PROMPT}${asLines(shown(), CONTINUATION)}`);
}

// The envelope's first two lines: `--agentmux-<id>.<nonce>` and `From: <sender> · To: … · Thread: …`.
function envelopeOf(text) {
  const lines = text.split('\n');
  const opening = /^--agentmux-([0-9A-Za-z][0-9A-Za-z_-]*?)(?:\.[0-9a-z]+)?$/.exec((lines[0] ?? '').trim());
  const from = /^From: ([^ ·]+)/.exec((lines[1] ?? '').trim());
  if (opening === null || from === null || opening[1].endsWith('--')) return null;
  const closing = lines.findIndex((line, index) => index > 1 && line.trim() === `${lines[0].trim()}--`);
  const inside = lines.slice(2, closing === -1 ? undefined : closing);
  const hint = inside.find((line) => line.startsWith('Reply: '));
  const body = inside.filter((line) => !line.startsWith('Reply: '));
  return {
    id: opening[1],
    sender: from[1],
    firstBodyLine: body.find((line) => line.trim() !== '') ?? '',
    hint: hint === undefined ? null : hint.slice('Reply: '.length),
  };
}

function reply(text) {
  const envelope = envelopeOf(text);
  if (envelope === null) return Promise.resolve();
  if (replies >= maxReplies) {
    write(`reply limit reached (${maxReplies}); not replying to ${envelope.sender}\r\n`);
    return Promise.resolve();
  }
  const command = process.env.AGENTMUX_COMMAND;
  if (!command) {
    write('cannot reply: AGENTMUX_COMMAND is not set\r\n');
    return Promise.resolve();
  }
  replies += 1;
  const message = handoff
    ? `${name} finished its part of: ${envelope.firstBodyLine.replace(/^.*finished its part of: /, '')}`
    : `answer from ${name}: ${envelope.firstBodyLine}`;
  const target = handoff || envelope.sender;
  const args = ['send', '--reply-to', envelope.id, '--target', target, '--message', message];
  if (replyByHint && envelope.hint === null) {
    write('cannot reply: the envelope has no Reply: line\r\n');
    return Promise.resolve();
  }
  const [file, argv] =
    replyByHint && !handoff
      ? ['/bin/sh', ['-c', envelope.hint.replace('"..."', `'${message.replace(/'/g, `'\\''`)}'`)]]
      : [command, args];
  return new Promise((resolve) => {
    execFile(file, argv, { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) write(`reply failed: ${asLines(String(stderr || error.message).trim(), '')}\r\n`);
      else write(handoff ? `handed off to ${target}\r\n` : `replied to ${target}\r\n`);
      resolve();
    });
  });
}

function escapeKey() {
  if (busy) interrupt();
}

function handle(input) {
  clearTimeout(escapeTimer);
  const text = carry + input;
  carry = '';
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const char = String.fromCodePoint(text.codePointAt(index));
    if (char === '\x1b') {
      if (rest.startsWith(PASTE_START)) {
        inPaste = true;
        if (collapseOver > 0) pasted = '';
        index += PASTE_START.length;
        continue;
      }
      if (lfEnters && rest.startsWith('\x1b\r')) {
        addToComposer('\n'); // Alt-Enter
        index += 2;
        continue;
      }
      if (rest.startsWith(PASTE_END)) {
        inPaste = false;
        if (pasted !== null) endPaste();
        lastInputAt = Date.now();
        index += PASTE_END.length;
        continue;
      }
      // eslint-disable-next-line no-control-regex -- terminal input is parsed here
      const sequence = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|[^[O])/.exec(rest);
      if (sequence !== null) {
        // Other keys (arrows, function keys, Alt-x) are ignored.
        index += sequence[0].length;
        continue;
      }
      // An incomplete sequence: wait for the rest, or take a lone ESC as the Escape key.
      carry = rest;
      if (rest === '\x1b') {
        escapeTimer = setTimeout(() => {
          carry = '';
          escapeKey();
        }, 50);
      }
      return;
    }
    index += char.length;
    if (inPaste && pasted !== null) {
      pasted += char === '\r' ? '\n' : char;
      continue;
    }
    if (inPaste) {
      addToComposer(char === '\r' ? '\n' : char);
      continue;
    }
    if (char === '\r' || (char === '\n' && lfEnters)) enter();
    else if (char === '\n') addToComposer('\n');
    else if (char === '\x7f' || char === '\b') backspace();
    else if (char === '\x15' || char === '\x03') clearComposer();
    else if (char === '\x04' && composer === '') quit(0);
    else if (char >= ' ') addToComposer(char);
  }
}

// A long paste is kept whole but drawn as one placeholder; a short one is typed as usual.
function endPaste() {
  const text = pasted;
  pasted = null;
  const lines = text.split('\n').length;
  if (lines <= collapseOver) {
    for (const char of text) addToComposer(char);
    return;
  }
  const placeholder = `[Pasted Text: ${lines} lines]`;
  composer += text;
  collapsed.push([text, placeholder]);
  if (!busy) write(placeholder);
}

function quit(code) {
  write('\x1b[?2004l\r\n');
  process.exit(code);
}

if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.on('data', (chunk) => {
  const text = decoder.write(chunk);
  if (inputLogFile !== '') appendFileSync(inputLogFile, `${JSON.stringify(text)}\n`);
  handle(text);
});
process.stdin.on('end', () => quit(0));
for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(signal, () => quit(0));
// `--resume <id>` is how a resume-command hands back the conversation this agent reported.
const resumeAt = process.argv.indexOf('--resume');
const resumed = resumeAt === -1 ? '' : `resumed conversation ${process.argv[resumeAt + 1] ?? '?'}\r\n`;
write(`\x1b[?2004hscripted agent ${name} (think ${thinkMs} ms)\r\n${resumed}${PROMPT}`);
