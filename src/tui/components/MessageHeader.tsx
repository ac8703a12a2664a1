// One message's header line: time, sender → each recipient with its delivery glyph, thread tag.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { Message } from '../../core/protocol/index.js';
import type { DeliveryView } from '../state/message-store.js';
import { cleanLine, clockTime, deliveryGlyph, deliveryTone, shortId } from '../ui/format.js';

export interface MessageHeaderProps {
  readonly message: Message;
  readonly deliveries: Readonly<Record<string, DeliveryView>>;
  readonly self: string;
  readonly selected?: boolean;
}

const PALETTE = ['cyan', 'green', 'yellow', 'blue', 'magenta'] as const;

/** A stable colour per session name. */
export function nameColor(name: string, self: string): string {
  if (name === self) return 'white';
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? 'cyan';
}

/** Truncated to the row by the surrounding Text. */
export function MessageHeader({ message, deliveries, self, selected = false }: MessageHeaderProps): ReactNode {
  const recipients = [...message.to, ...message.cc];
  return (
    <Text wrap="truncate-end" inverse={selected}>
      <Text color="cyan">{selected ? '›' : ' '}</Text>
      <Text color="gray">{`${clockTime(message.created_at)} `}</Text>
      <Text color={nameColor(message.from, self)} bold={message.from === self}>
        {message.from}
      </Text>
      <Text color="gray">{' → '}</Text>
      {recipients.map((recipient, index) => {
        const delivery = deliveries[recipient];
        return (
          <Text key={recipient}>
            {index > 0 ? ', ' : ''}
            <Text color={nameColor(recipient, self)} bold={recipient === self}>
              {recipient}
            </Text>
            {delivery ? <Text color={deliveryTone(delivery.state)}>{deliveryGlyph(delivery.state)}</Text> : null}
          </Text>
        );
      })}
      <Text color="gray">{`  ${shortId(message.id)}${message.reply_to ? ` ↳${shortId(message.reply_to)}` : ''}`}</Text>
      {message.subject ? <Text italic>{` · ${cleanLine(message.subject)}`}</Text> : null}
    </Text>
  );
}
