// `?`: every key of every mode, and how the composer picks recipients.
import { Text } from 'ink';
import { useEffect, type ReactNode } from 'react';
import type { KeyMode } from '../keys/intents.js';
import { bindingsFor, keyLabel } from '../keys/key-map.js';
import { wordWrap } from '../ui/format.js';
import { Panel } from './Panel.js';

export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
  /** Rows above the bottom (clamped). */
  readonly scroll: number;
  readonly onMaxScroll: (max: number) => void;
}

const SECTIONS: readonly { mode: KeyMode; title: string }[] = [
  { mode: 'composer', title: 'Composer (default)' },
  { mode: 'stream', title: 'Messages (Tab)' },
  { mode: 'sessions', title: 'Sessions (Tab)' },
  { mode: 'permissions', title: 'Permission requests' },
  { mode: 'thread', title: 'Thread view' },
  { mode: 'search', title: 'Search' },
  { mode: 'look', title: 'Look preview' },
  { mode: 'new-agent', title: 'New agent (n on Sessions)' },
  { mode: 'remove-agent', title: 'Remove agent (x on Sessions)' },
];

const USAGE = [
  'Start a message with @name (Tab completes; @all broadcasts). Without a mention it',
  'goes to the sender of the message you reply to (^R), else to the selected session.',
  'Enter sends, Ctrl-J adds a line, pasted text is inserted as is. Delivery marks:',
  '… queued  ⋯ delivering/typing  ↵ submitted  ✓ delivered  ✗ failed.',
  '',
];

/** The lines of the help screen (exported for tests). */
export function helpLines(): string[] {
  const lines = [...USAGE];
  for (const section of SECTIONS) {
    const keys = bindingsFor(section.mode, false).map(
      (binding) => `${binding.keys.map(keyLabel).join('/')} ${binding.label ?? ''}`,
    );
    lines.push(`${section.title}: ${keys.join(' · ')}`);
  }
  return lines;
}

/** Scrollable help. */
export function HelpOverlay({ width, height, scroll, onMaxScroll }: HelpOverlayProps): ReactNode {
  const lines = helpLines().flatMap((line) => wordWrap(line, width - 2));
  const rows = height - 2;
  const max = Math.max(0, lines.length - rows);
  useEffect(() => {
    onMaxScroll(max);
  }, [max, onMaxScroll]);
  const first = max - Math.min(scroll, max);
  return (
    <Panel title="Help — Esc closes" width={width} height={height} focused>
      {lines.slice(first, first + rows).map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Panel>
  );
}
