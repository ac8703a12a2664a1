// The top row: bundle, who I am, the relay connection and a one-glance summary of the agents.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useRelayState } from '../context.js';

export interface HeaderProps {
  readonly width: number;
}

/** One row; reconnecting shows the last error so a stuck relay is visible. */
export function Header({ width }: HeaderProps): ReactNode {
  const state = useRelayState();
  const agents = state.sessions.filter((s) => s.role === 'agent');
  const count = (predicate: (s: (typeof agents)[number]) => boolean): number => agents.filter(predicate).length;
  const busy = count((s) => s.state === 'busy');
  const needs = count((s) => s.state === 'waiting_input');
  const queued = agents.reduce((sum, s) => sum + s.queued, 0);
  const summary = [
    `${agents.length} agent${agents.length === 1 ? '' : 's'}`,
    busy > 0 ? `${busy} busy` : '',
    queued > 0 ? `${queued} queued` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text inverse bold>
          {' agentmux '}
        </Text>
        <Text bold>{` ${state.bundle}`}</Text>
        <Text color="gray">{` as ${state.self}  `}</Text>
        {state.link === 'connected' ? (
          <Text color="green">{`● relay ${state.relayPid ?? ''}`}</Text>
        ) : (
          <Text color="yellow">{`○ ${state.link}…${state.linkError ? ` ${state.linkError}` : ''}`}</Text>
        )}
        <Text>{`  ${summary}`}</Text>
        {needs > 0 ? <Text color="magenta" bold>{` · ${needs} need${needs === 1 ? 's' : ''} you`}</Text> : null}
        {state.permissions.length > 0 ? (
          <Text color="magenta" bold>{` · ${state.permissions.length} permission request(s)`}</Text>
        ) : null}
      </Text>
    </Box>
  );
}
