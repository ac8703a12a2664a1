// History search: a query line, then matching messages newest first.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { HistoryMessage } from '../../core/protocol/index.js';
import { bodyLines, clockTime, textWidth, truncate } from '../ui/format.js';
import type { TextField } from '../ui/text-field.js';
import { Panel } from './Panel.js';

export interface SearchOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly query: TextField;
  readonly submitted: string | null;
  readonly results: readonly HistoryMessage[] | null;
  readonly selected: number;
  readonly error: string | null;
}

/** The query with a cursor, a status line, and one row per result. */
export function SearchOverlay(props: SearchOverlayProps): ReactNode {
  const inner = props.width - 2;
  const rows = props.height - 4;
  const results = props.results ?? [];
  const start = Math.max(0, Math.min(props.selected - rows + 1, results.length - rows));
  const before = props.query.text.slice(0, props.query.cursor);
  const after = props.query.text.slice(props.query.cursor);
  const status = props.error
    ? props.error
    : props.submitted === null
      ? 'type words to find, then Enter'
      : props.results === null
        ? `searching for "${props.submitted}"…`
        : `${results.length} result${results.length === 1 ? '' : 's'} for "${props.submitted}", newest first — Tab opens the thread`;
  return (
    <Panel title="Search history — Esc close" width={props.width} height={props.height} focused>
      <Text wrap="truncate-end">
        {'Search: '}
        {truncate(before, Math.max(0, inner - 10 - textWidth(after.slice(0, 20))))}
        <Text inverse>{after.slice(0, 1) || ' '}</Text>
        {after.slice(1)}
      </Text>
      <Text color={props.error ? 'red' : 'gray'} wrap="truncate-end">
        {status}
      </Text>
      {results.slice(start, start + rows).map((message, offset) => {
        const chosen = start + offset === props.selected;
        const first = bodyLines(message.body)[0] ?? '';
        return (
          <Text key={message.id} wrap="truncate-end" inverse={chosen}>
            <Text color="cyan">{chosen ? '›' : ' '}</Text>
            <Text color="gray">{`${clockTime(message.created_at)} `}</Text>
            {`${message.from} → ${[...message.to, ...message.cc].join(', ')}: ${first}`}
          </Text>
        );
      })}
    </Panel>
  );
}
