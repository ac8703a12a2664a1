// The bottom rows: the latest notice, then the keys of the current mode (always visible).
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { KeyMode } from '../keys/intents.js';
import { bindingsFor, keyLabel } from '../keys/key-map.js';
import type { Notice } from '../ui/ui-state.js';

export interface FooterProps {
  readonly width: number;
  readonly mode: KeyMode;
  readonly notice: Notice | null;
  /** Shown when there is no notice. */
  readonly idle: string;
}

/** Two rows: notice (errors in red with their code) and key hints. */
export function Footer({ width, mode, notice, idle }: FooterProps): ReactNode {
  return (
    <Box flexDirection="column" width={width} height={2} flexShrink={0}>
      <Text wrap="truncate-end" color={notice?.level === 'error' ? 'red' : notice ? 'green' : 'gray'}>
        {notice ? notice.text : idle || ' '}
      </Text>
      <KeyHints mode={mode} width={width} />
    </Box>
  );
}

/** `Enter send · ^J newline · …` for the mode: the most important hints that fit `width`. */
export function KeyHints({ mode, width }: { readonly mode: KeyMode; readonly width: number }): ReactNode {
  const hints = fittingHints(mode, width);
  return (
    <Text wrap="truncate-end">
      {hints.map((hint, index) => (
        <Text key={`${hint.key}-${hint.label}`}>
          {index > 0 ? <Text color="gray">{' · '}</Text> : null}
          <Text bold color="cyan">
            {hint.key}
          </Text>
          {` ${hint.label}`}
        </Text>
      ))}
    </Text>
  );
}

/** The footer hints that fit, chosen by priority and listed in key-map order. */
export function fittingHints(mode: KeyMode, width: number): { key: string; label: string }[] {
  const hints = bindingsFor(mode, true).map((binding, order) => ({
    key: keyLabel(binding.keys[0] ?? ''),
    label: binding.label ?? '',
    priority: binding.footer ?? 3,
    order,
  }));
  const chosen = new Set<number>();
  let used = 0;
  for (const hint of [...hints].sort((a, b) => a.priority - b.priority || a.order - b.order)) {
    const cost = hint.key.length + 1 + hint.label.length + (chosen.size > 0 ? 3 : 0);
    if (used + cost > width) continue;
    chosen.add(hint.order);
    used += cost;
  }
  return hints.filter((hint) => chosen.has(hint.order)).map(({ key, label }) => ({ key, label }));
}
