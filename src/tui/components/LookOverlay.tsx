// A live preview of an agent's pane (`look`), refreshed every second.
import { Text } from 'ink';
import { useEffect, type ReactNode } from 'react';
import { useLook } from '../hooks/use-look.js';
import { cleanLine, clockTime, sessionStateWord } from '../ui/format.js';
import { Panel } from './Panel.js';

export interface LookOverlayProps {
  readonly width: number;
  readonly height: number;
  readonly target: string;
  readonly scroll: number;
  readonly refresh: number;
  readonly onMaxScroll: (max: number) => void;
}

/** The bottom of the pane (where the prompt is), scrollable upwards. */
export function LookOverlay(props: LookOverlayProps): ReactNode {
  const { result, error } = useLook(props.target, props.refresh);
  const rows = props.height - 2 - (error ? 1 : 0);
  const lines = [...(result?.lines ?? [])];
  while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
  const max = Math.max(0, lines.length - rows);
  const { onMaxScroll } = props;
  useEffect(() => {
    onMaxScroll(max);
  }, [max, onMaxScroll]);
  const end = lines.length - Math.min(props.scroll, max);
  const title = result
    ? `Look: ${props.target} · ${sessionStateWord(result.state)} · ${clockTime(result.captured_at)} — Esc close`
    : `Look: ${props.target} — Esc close`;
  return (
    <Panel title={title} width={props.width} height={props.height} focused>
      {error ? (
        <Text color="red" wrap="truncate-end">
          {error}
        </Text>
      ) : null}
      {!result && !error ? <Text color="gray">capturing…</Text> : null}
      {lines.slice(Math.max(0, end - rows), end).map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {cleanLine(line) || ' '}
        </Text>
      ))}
    </Panel>
  );
}
