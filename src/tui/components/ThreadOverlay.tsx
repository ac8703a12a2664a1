// A whole thread with full bodies, wrapped to the width; opens at the newest message.
import { Text } from 'ink';
import { useEffect, type ReactNode } from 'react';
import type { HistoryMessage } from '../../core/protocol/index.js';
import { useRelayState } from '../context.js';
import { deliveriesOf } from '../state/message-store.js';
import { bodyLines, shortId, wrapLine } from '../ui/format.js';
import { MessageHeader } from './MessageHeader.js';
import { Panel } from './Panel.js';

export interface ThreadOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly id: string;
  readonly messages: readonly HistoryMessage[] | null;
  readonly error: string | null;
  readonly scroll: number;
  readonly onMaxScroll: (max: number) => void;
}

type Row = { kind: 'header'; message: HistoryMessage } | { kind: 'text'; text: string };

/** Rows of a thread: each message's header, its wrapped body and a blank line. */
export function threadRows(messages: readonly HistoryMessage[], width: number): Row[] {
  return messages.flatMap((message): Row[] => [
    { kind: 'header', message },
    ...bodyLines(message.body).flatMap((line) =>
      wrapLine(line, width - 3).map((text) => ({ kind: 'text' as const, text })),
    ),
    { kind: 'text', text: '' },
  ]);
}

/** Bottom-anchored and scrollable. */
export function ThreadOverlay(props: ThreadOverlayProps): ReactNode {
  const { self } = useRelayState();
  const rows = props.height - 2;
  const all = props.messages ? threadRows(props.messages, props.width - 2) : [];
  const max = Math.max(0, all.length - rows);
  const { onMaxScroll } = props;
  useEffect(() => {
    onMaxScroll(max);
  }, [max, onMaxScroll]);
  const end = all.length - Math.min(props.scroll, max);
  const shown = all.slice(Math.max(0, end - rows), end);
  const count = props.messages ? ` · ${props.messages.length} message${props.messages.length === 1 ? '' : 's'}` : '';
  return (
    <Panel
      title={`Thread ${shortId(props.messages?.[0]?.thread ?? props.id)}${count} — r reply · Esc close`}
      width={props.width}
      height={props.height}
      focused
    >
      {props.error ? <Text color="red">{props.error}</Text> : null}
      {!props.messages && !props.error ? <Text color="gray">loading thread…</Text> : null}
      {shown.map((row, index) =>
        row.kind === 'header' ? (
          <MessageHeader
            key={index}
            message={row.message}
            deliveries={deliveriesOf(row.message.deliveries)}
            self={self}
          />
        ) : (
          <Text key={index} wrap="truncate-end">{`   ${row.text}`}</Text>
        ),
      )}
    </Panel>
  );
}
