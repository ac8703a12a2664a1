// Pending ACP permission requests (shown only while some are pending).
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useRelayState } from '../context.js';
import { cleanLine } from '../ui/format.js';
import { Panel } from './Panel.js';

export interface PermissionsPanelProps {
  readonly width: number;
  /** Total rows, borders included. */
  readonly height: number;
  readonly focused: boolean;
  readonly selected: number;
}

/** One row per request: which agent asks, what for, and the choices it offers. */
export function PermissionsPanel({ width, height, focused, selected }: PermissionsPanelProps): ReactNode {
  const { permissions } = useRelayState();
  const rows = height - 2;
  const index = Math.min(selected, permissions.length - 1);
  const start = Math.max(0, Math.min(index - rows + 1, permissions.length - rows));
  return (
    <Panel
      title={`Permission requests (${permissions.length}) — Tab here, a approve · d deny`}
      width={width}
      height={height}
      focused={focused}
    >
      {permissions.slice(start, start + rows).map((request, offset) => {
        const chosen = start + offset === index;
        const options = request.options.map((option) => option.name).join(' / ');
        return (
          <Text key={request.id} wrap="truncate-end" inverse={chosen && focused}>
            <Text color="cyan">{chosen ? '›' : ' '}</Text>
            <Text color="magenta" bold>
              {request.session}
            </Text>
            {`: ${cleanLine(request.title)}`}
            <Text color="gray">{options ? `  [${cleanLine(options)}]` : ''}</Text>
          </Text>
        );
      })}
    </Panel>
  );
}
