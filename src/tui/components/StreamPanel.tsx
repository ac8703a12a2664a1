// The live message stream: only the messages that fit are rendered (bottom-anchored, newest
// last), so a long history costs no more per frame than a short one.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { SYSTEM_SENDER } from '../../core/protocol/orchestration.js';
import { useRelayState } from '../context.js';
import type { StreamEntry } from '../state/message-store.js';
import { bodyLines, truncate } from '../ui/format.js';
import { MAX_BODY_ROWS, visibleRange } from '../ui/stream-window.js';
import { MessageHeader } from './MessageHeader.js';
import { Panel } from './Panel.js';

export interface StreamPanelProps {
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly selected: string | null;
  readonly anchor: string | null;
}

/** Messages with per-recipient delivery state. */
export function StreamPanel({ width, height, focused, selected, anchor }: StreamPanelProps): ReactNode {
  const { store, self, loaded } = useRelayState();
  const rows = height - 2;
  const { top, bottom, below } = visibleRange(store, anchor, rows);
  const entries: StreamEntry[] = [];
  for (let i = top; i <= bottom; i += 1) {
    const entry = store.byId.get(store.ids[i] ?? '');
    if (entry) entries.push(entry);
  }
  const title = `Messages (${store.ids.length})${below > 0 ? ` · ↓ ${below} newer` : ''}`;
  return (
    <Panel title={title} width={width} height={height} focused={focused}>
      {entries.length === 0 ? (
        <Text color="gray" wrap="truncate-end">
          {loaded ? 'no messages yet: type @name and a message, then Enter' : 'loading history…'}
        </Text>
      ) : null}
      {entries.map((entry) => (
        <MessageRows
          key={entry.message.id}
          entry={entry}
          self={self}
          selected={entry.message.id === selected}
          width={width - 2}
        />
      ))}
    </Panel>
  );
}

function MessageRows(props: {
  readonly entry: StreamEntry;
  readonly self: string;
  readonly selected: boolean;
  readonly width: number;
}): ReactNode {
  const { message, deliveries } = props.entry;
  const lines = message.body === '' ? [] : bodyLines(message.body);
  const shown = lines.slice(0, MAX_BODY_ROWS);
  const hidden = lines.length - shown.length;
  const incoming = message.to.includes(props.self) || message.cc.includes(props.self);
  // Supervisor events are the relay speaking, not a teammate: flagged and coloured apart.
  const event = message.from === SYSTEM_SENDER;
  const lead = event ? ' ⚑ ' : '   ';
  return (
    <>
      <MessageHeader message={message} deliveries={deliveries} self={props.self} selected={props.selected} />
      {shown.map((line, index) => {
        const more = hidden > 0 && index === shown.length - 1 ? ` …(+${hidden} lines)` : '';
        const room = Math.max(0, props.width - 3 - more.length);
        return (
          <Text key={index} wrap="truncate-end" bold={incoming && !event} color={event ? 'yellow' : undefined}>
            {`${index === 0 ? lead : '   '}${truncate(line, room)}`}
            <Text color="gray">{more}</Text>
          </Text>
        );
      })}
    </>
  );
}
