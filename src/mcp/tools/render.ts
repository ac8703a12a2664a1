// Readable lines for messages, shown to the model above the JSON of a tool result.
import type { HistoryMessage, Message } from '../../core/protocol/index.js';

/** "[01J…] from alice → bob · Subject: x · re 01H…" plus the body, indented. */
export function messageLines(message: Message): string[] {
  const parts = [
    `[${message.id}] ${message.created_at} from ${message.from} → ${[...message.to, ...message.cc].join(', ')}`,
  ];
  if (message.subject) parts.push(`Subject: ${message.subject}`);
  if (message.reply_to) parts.push(`re ${message.reply_to}`);
  if (message.thread !== message.id) parts.push(`thread ${message.thread}`);
  return [parts.join(' · '), ...message.body.split('\n').map((line) => `  ${line}`)];
}

/** A journaled message with each recipient's delivery state. */
export function historyLines(message: HistoryMessage): string[] {
  const deliveries = message.deliveries.map(
    (d) => `${d.recipient}: ${d.state}${d.reason ? ` (${d.reason})` : ''}${d.read_at ? ', read' : ''}`,
  );
  return [...messageLines(message), `  — ${deliveries.join(' · ')}`];
}
