// `n` and `x` on the sessions panel: the new-agent form (name, coder) and the removal question.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { textWidth, truncate } from '../ui/format.js';
import type { TextField } from '../ui/text-field.js';
import { Panel } from './Panel.js';

export interface NewAgentOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly coders: readonly string[];
  readonly coder: number;
  readonly name: TextField;
  readonly busy: boolean;
  readonly error: string | null;
}

/** The name with a cursor, a status line, then the coders with the chosen one marked. */
export function NewAgentOverlay(props: NewAgentOverlayProps): ReactNode {
  const inner = props.width - 2;
  const rows = Math.max(1, props.height - 5);
  const start = Math.max(0, Math.min(props.coder - rows + 1, props.coders.length - rows));
  const before = props.name.text.slice(0, props.name.cursor);
  const after = props.name.text.slice(props.name.cursor);
  const chosen = props.coders[props.coder] ?? '';
  const status = props.busy
    ? `adding ${props.name.text} (${chosen}): the relay reloads and starts it…`
    : (props.error ?? 'type its session id, pick a coder with ↑/↓, then Enter');
  return (
    <Panel title="New agent — Esc cancel" width={props.width} height={props.height} focused>
      <Text wrap="truncate-end">
        {'Name: '}
        {truncate(before, Math.max(0, inner - 8 - textWidth(after)))}
        <Text inverse>{after.slice(0, 1) || ' '}</Text>
        {after.slice(1)}
      </Text>
      <Text color={props.error && !props.busy ? 'red' : 'gray'} wrap="truncate-end">
        {status}
      </Text>
      <Text wrap="truncate-end">Coder:</Text>
      {props.coders.slice(start, start + rows).map((coder, offset) => {
        const selected = start + offset === props.coder;
        return (
          <Text key={coder} wrap="truncate-end" inverse={selected}>
            <Text color="cyan">{selected ? '› ' : '  '}</Text>
            {coder}
          </Text>
        );
      })}
    </Panel>
  );
}

export interface RemoveAgentOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly target: string;
  readonly busy: boolean;
  readonly error: string | null;
}

/** Asks before an agent is stopped and taken out of the bundle file. */
export function RemoveAgentOverlay(props: RemoveAgentOverlayProps): ReactNode {
  const status = props.busy ? `removing ${props.target}…` : (props.error ?? 'y or Enter removes it, Esc keeps it');
  return (
    <Panel title={`Remove ${props.target}?`} width={props.width} height={props.height} focused>
      <Text wrap="truncate-end">
        {`Stop ${props.target} and remove it from the bundle file (an unmerged worktree is kept).`}
      </Text>
      <Text color={props.error && !props.busy ? 'red' : 'gray'} wrap="truncate-end">
        {status}
      </Text>
    </Panel>
  );
}
