// Text renderings of messages, deliveries and rosters.
import type { HistoryMessage, InboxMessage, ListResult, Message, SendResult } from '../../core/protocol/index.js';
import { visible, visibleLines } from './visible.js';
import { blockedBy, reasonDetail, stateWords } from '../../core/session-words.js';

const INDENT = '  ';

// Everything a sender chose (body, subject, names) goes through `visible`: no terminal control
// from a message reaches the reader's terminal.
function header(message: Message): string {
  const time = message.created_at.slice(11, 19);
  const subject = message.subject ? ` · ${message.subject}` : '';
  const reply = message.reply_to ? ` · re ${message.reply_to}` : '';
  return visible(
    `${time} ${message.from} → ${[...message.to, ...message.cc].join(', ')} [${message.id}]${subject}${reply}`,
  );
}

function body(text: string): string[] {
  return visibleLines(text).map((line) => `${INDENT}${line}`);
}

/** One message as a block of lines. */
export function messageLines(message: Message & { read_at?: string | null }): string[] {
  const unread = message.read_at === null ? ' (new)' : '';
  return [`${header(message)}${unread}`, ...body(message.body)];
}

/** The inbox, oldest first. */
export function inboxLines(messages: InboxMessage[]): string[] {
  if (messages.length === 0) return ['no messages'];
  return messages.flatMap((m) => messageLines(m));
}

/** History with each recipient's delivery state. */
export function historyLines(messages: HistoryMessage[]): string[] {
  if (messages.length === 0) return ['no messages'];
  return messages.flatMap((m) => [
    header(m),
    ...body(m.body),
    `${INDENT}${visible(m.deliveries.map((d) => `${d.recipient}: ${d.state}${d.reason ? ` (${d.reason})` : ''}`).join(' · '))}`,
  ]);
}

/** The answer to `send`. */
export function sendLines(result: SendResult): string[] {
  return [
    `message ${result.message_id} (thread ${result.thread})${result.timed_out ? ' — wait timed out' : ''}`,
    ...result.results.map(
      (r) => `${INDENT}${visible(r.target)}\t${r.outcome}${r.reason ? `\t${visible(r.reason)}` : ''}`,
    ),
  ];
}

/** The roster. */
export function listLines(
  result: Pick<ListResult, 'bundle' | 'relay'> & {
    sessions: (ListResult['sessions'][number] & { worktree?: { branch: string; changed: number } })[];
  },
): string[] {
  // The BRANCH column appears only in bundles with worktrees.
  const branches = result.sessions.some((s) => s.worktree !== undefined);
  // The HOST column appears only in bundles that span hosts.
  const hosts = result.sessions.some((s) => s.host !== undefined);
  const rows = result.sessions.map((s) => [
    s.id,
    ...(hosts ? [`${s.host ?? ''}${s.reachable === false ? ' (unreachable)' : ''}`] : []),
    s.role,
    s.transport,
    stateWords(s, 'needs operator'),
    String(s.queued),
    String(s.unread),
    ...(branches ? [s.worktree ? `${s.worktree.branch} (${s.worktree.changed} changed)` : ''] : []),
    visible(
      [s.attached ? 'operator attached' : '', s.attached && blockedBy(s) === null ? '' : reasonDetail(s)]
        .filter(Boolean)
        .join(' · '),
    ),
  ]);
  const head = [
    'SESSION',
    ...(hosts ? ['HOST'] : []),
    'ROLE',
    'TRANSPORT',
    'STATE',
    'QUEUED',
    'UNREAD',
    ...(branches ? ['BRANCH'] : []),
    'NOTE',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `bundle ${result.bundle} · relay pid ${result.relay.pid} (${result.relay.state})`,
    format(head),
    ...rows.map(format),
  ];
}
