// A rounded box with its title in the top border, so a panel costs no extra row for a heading.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { textWidth, truncate } from '../ui/format.js';

export interface PanelProps {
  readonly title: string;
  readonly width: number;
  /** Total rows, borders included. */
  readonly height: number;
  /** Highlights the border (the panel has the keys). */
  readonly focused?: boolean;
  readonly children?: ReactNode;
}

/** A titled, bordered column of exactly `width`×`height` cells. */
export function Panel({ title, width, height, focused = false, children }: PanelProps): ReactNode {
  const color = focused ? 'cyan' : 'gray';
  const label = truncate(` ${focused ? '▸ ' : ''}${title} `, Math.max(0, width - 4));
  const rule = '─'.repeat(Math.max(0, width - 3 - textWidth(label)));
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text color={color} bold={focused} wrap="truncate-end">
        {`╭─${label}${rule}╮`}
      </Text>
      <Box
        flexDirection="column"
        width={width}
        height={Math.max(1, height - 1)}
        borderStyle="round"
        borderTop={false}
        borderColor={color}
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
