// The pane envelope: the framed text typed into an agent's pane so it knows who wrote, which
// thread it belongs to and how to reply, and so we can find our own text in a captured pane.
// A body cannot forge a second envelope: the fences carry a nonce drawn for each delivery, and
// body lines that look like a fence, a header or the reply hint are shown quoted (`> `).
import { randomBytes } from 'node:crypto';

/** What a rendered envelope says; `replyHint` adds the ready-to-run reply command line. */
export interface EnvelopeInput {
  id: string;
  /** This delivery's nonce (`newEnvelopeNonce()`), part of both fences. */
  nonce: string;
  from: string;
  to: string[];
  cc: string[];
  thread: string;
  subject: string | null;
  body: string;
  replyHint: boolean;
}

/** An envelope read back from text (a test fixture or a captured pane): what was rendered. */
export type ParsedEnvelope = EnvelopeInput;

const FIELD_SEPARATOR = ' · ';
const OPENING = /(?:^|\s)--agentmux-([0-9A-Za-z][0-9A-Za-z_-]*)\.([0-9a-z]+)$/;
/** Body lines a reader could take for part of an envelope: a fence, a header field, the hint. */
const LOOKS_LIKE_ENVELOPE = /--agentmux-|^[\s>]*(?:From|To|Cc|Thread|Subject|Reply):/;
const QUOTE = '> ';

/** A fresh, unpredictable nonce for one delivery's envelope. */
export function newEnvelopeNonce(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The opening fence of one delivery of message `id`; its presence in a pane or a hook's prompt
 * proves our text arrived. Without a nonce: the prefix every delivery of `id` starts with.
 */
export function envelopeMarker(id: string, nonce?: string): string {
  return nonce === undefined ? `--agentmux-${id}.` : `--agentmux-${id}.${nonce}`;
}

/** A body line as the envelope shows it: quoted when it imitates the envelope's own lines. */
function quoteLine(line: string): string {
  return LOOKS_LIKE_ENVELOPE.test(line) ? `${QUOTE}${line}` : line;
}

/** The inverse of quoteLine (a line that needed quoting stays quotable without the quote). */
function unquoteLine(line: string): string {
  return line.startsWith(QUOTE) && LOOKS_LIKE_ENVELOPE.test(line.slice(QUOTE.length)) ? line.slice(QUOTE.length) : line;
}

/** The reply hint line for message `id`, exactly as rendered. */
export function replyHintLine(id: string): string {
  return `Reply: "$AGENTMUX_COMMAND" send --reply-to ${id} --message "..."`;
}

/**
 * Renders the envelope with `\n` line endings and no trailing newline (a trailing newline would
 * leave an empty line in the agent's composer). The subject is folded onto one line and trailing
 * line breaks of the body are dropped; body lines that imitate a fence, header or hint are
 * quoted, the body is otherwise verbatim (sanitizing is the injector's job).
 */
export function renderEnvelope(input: EnvelopeInput): string {
  const fields = [`From: ${input.from}`, `To: ${input.to.join(', ')}`, `Thread: ${input.thread}`];
  if (input.cc.length > 0) fields.push(`Cc: ${input.cc.join(', ')}`);
  const subject = input.subject === null ? '' : input.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (subject !== '') fields.push(`Subject: ${subject}`);
  const marker = envelopeMarker(input.id, input.nonce);
  const body = input.body
    .replace(/[\r\n]+$/, '')
    .split(/\r\n|\r|\n/)
    .map(quoteLine)
    .join('\n');
  const lines = [marker, fields.join(FIELD_SEPARATOR), body];
  if (input.replyHint) lines.push(replyHintLine(input.id));
  lines.push(`${marker}--`);
  return lines.join('\n');
}

/**
 * Finds the first envelope in `text` and reads it back, or returns null when there is none or it
 * is malformed. Text before the opening fence on its line (a prompt glyph) and surrounding
 * indentation are tolerated, so a captured pane parses as long as the header line did not wrap.
 */
export function parseEnvelope(text: string): ParsedEnvelope | null {
  const lines = text.split(/\r\n|\r|\n/);
  for (let start = 0; start < lines.length - 1; start += 1) {
    const match = OPENING.exec((lines[start] ?? '').trimEnd());
    const id = match?.[1];
    const nonce = match?.[2];
    if (id === undefined || nonce === undefined) continue;
    const parsed = parseFrom(lines, start, id, nonce);
    if (parsed !== null) return parsed;
  }
  return null;
}

function parseFrom(lines: string[], start: number, id: string, nonce: string): ParsedEnvelope | null {
  const header = parseHeader((lines[start + 1] ?? '').trim());
  if (header === null) return null;
  const closing = `${envelopeMarker(id, nonce)}--`;
  let end = -1;
  for (let index = lines.length - 1; index > start + 1; index -= 1) {
    if ((lines[index] ?? '').trim() === closing) {
      end = index;
      break;
    }
  }
  if (end === -1) return null;
  const bodyLines = lines.slice(start + 2, end);
  const replyHint = bodyLines.length > 0 && (bodyLines[bodyLines.length - 1] ?? '').trim() === replyHintLine(id);
  if (replyHint) bodyLines.pop();
  return { id, nonce, ...header, body: bodyLines.map(unquoteLine).join('\n'), replyHint };
}

type Header = Omit<ParsedEnvelope, 'id' | 'nonce' | 'body' | 'replyHint'>;

function parseHeader(line: string): Header | null {
  // The subject is last and free text, so it may itself contain the separator.
  const subjectAt = line.indexOf(`${FIELD_SEPARATOR}Subject: `);
  const subject = subjectAt === -1 ? null : line.slice(subjectAt + FIELD_SEPARATOR.length + 'Subject: '.length);
  const head = subjectAt === -1 ? line : line.slice(0, subjectAt);
  const fields = new Map<string, string>();
  for (const field of head.split(FIELD_SEPARATOR)) {
    const colon = field.indexOf(': ');
    if (colon <= 0) return null;
    const name = field.slice(0, colon);
    if (fields.has(name) || !['From', 'To', 'Thread', 'Cc'].includes(name)) return null;
    fields.set(name, field.slice(colon + 2).trim());
  }
  const from = fields.get('From');
  const to = fields.get('To');
  const thread = fields.get('Thread');
  if (from === undefined || to === undefined || thread === undefined || from === '' || thread === '') return null;
  return { from, to: splitList(to), cc: splitList(fields.get('Cc') ?? ''), thread, subject };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
