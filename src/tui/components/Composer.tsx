// The composer: who the draft goes to (from @mentions, the reply, or the selected session),
// @-completion candidates, and the multi-line text with its cursor.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { Recipients, ReplyTarget } from '../ui/draft.js';
import { cleanLine, shortId, textWidth, truncate } from '../ui/format.js';
import { cursorPosition, type TextField } from '../ui/text-field.js';
import { Panel } from './Panel.js';

export interface ComposerProps {
  readonly width: number;
  /** Text rows (the box adds two). */
  readonly rows: number;
  readonly focused: boolean;
  readonly draft: TextField;
  readonly recipients: Recipients;
  readonly replyTo: ReplyTarget | null;
  /** Completions of the @prefix under the cursor. */
  readonly completions: readonly string[];
  readonly sending: boolean;
}

/** The draft box; its title always says where Enter would send. */
export function Composer(props: ComposerProps): ReactNode {
  const { width, rows, focused, draft } = props;
  const inner = width - 2;
  const lines = draft.text.split('\n');
  const { line: cursorLine, column } = cursorPosition(draft);
  const first = Math.max(0, Math.min(cursorLine - rows + 1, lines.length - rows));
  const visible = lines.slice(first, first + rows);
  return (
    <Panel title={composerTitle(props)} width={width} height={rows + 2} focused={focused}>
      {visible.map((line, offset) => {
        const index = first + offset;
        const prefix = index === 0 ? '› ' : '  ';
        if (!focused || index !== cursorLine) {
          return (
            <Text key={index} wrap="truncate-end">
              {prefix + cleanLine(line)}
            </Text>
          );
        }
        return <CursorLine key={index} prefix={prefix} line={line} column={column} width={inner} />;
      })}
    </Panel>
  );
}

function composerTitle(props: ComposerProps): string {
  const { recipients, replyTo, completions, sending } = props;
  const to = recipients.broadcast ? 'everyone' : recipients.to.join(', ');
  const base =
    recipients.source === 'none'
      ? 'To: — start with @name (Tab completes)'
      : recipients.source === 'selected'
        ? `To: ${to} (selected)`
        : `To: ${to}`;
  const reply = replyTo ? ` · re ${replyTo.from}'s ${shortId(replyTo.id)}` : '';
  const complete = completions.length > 0 ? ` · @ ${completions.slice(0, 5).join(' ')}` : '';
  return `${base}${reply}${complete}${sending ? ' · sending…' : ''}`;
}

// Keeps the cursor on screen: long lines show the part around the cursor.
function CursorLine(props: { prefix: string; line: string; column: number; width: number }): ReactNode {
  const room = Math.max(4, props.width - props.prefix.length - 1);
  let before = cleanLine(props.line.slice(0, props.column));
  const atCursor = cleanLine(props.line.slice(props.column, props.column + 1)) || ' ';
  while (textWidth(before) > room - 1 && before.length > 0) before = before.slice(1);
  const after = truncate(cleanLine(props.line.slice(props.column + 1)), Math.max(0, room - textWidth(before) - 1));
  return (
    <Text wrap="truncate-end">
      {props.prefix + before}
      <Text inverse>{atCursor}</Text>
      {after}
    </Text>
  );
}
