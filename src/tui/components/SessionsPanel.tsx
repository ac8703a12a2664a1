// Every session with its state, queue depth and unread mail; details of the selected one below.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { SessionView } from '../../core/protocol/index.js';
import type { WorktreeSummary } from '../../workspace/index.js';
import { blockedBy } from '../../core/session-words.js';
import { useRelayState } from '../context.js';
import { useWorktrees } from '../hooks/use-worktrees.js';
import { fit, stateLabel, stateTone, textWidth, truncate } from '../ui/format.js';
import { Panel } from './Panel.js';

export interface SessionsPanelProps {
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly selected: string | null;
}

const DETAIL_ROWS = 2;
const TRANSPORT_MIN_WIDTH = 30;
const TRANSPORT_TAGS: Record<SessionView['transport'], string> = {
  tmux: 'tmux',
  acp: ' acp',
  socket: 'sock',
  remote: ' rmt',
};
/** Id column cap; a multi-host roster gets more room for `alice@build`. */
const ID_MAX = 12;
const HOST_ID_MAX = 18;
/** What a session whose host's relay is not heard from reads as instead of its (stale) state. */
export const HOST_OFFLINE_LABEL = 'host offline';

/** The roster name of a session: `alice@build` when `list` says which host it lives on. */
export function rosterName(session: Pick<SessionView, 'id' | 'host'>): string {
  return session.host === undefined ? session.id : `${session.id}@${session.host}`;
}

/** True when the session lives on a host whose relay is not reachable (multi-host bundles). */
export function hostOffline(session: Pick<SessionView, 'host' | 'reachable'>): boolean {
  return session.host !== undefined && session.reachable === false;
}

/** The roster; scrolls to keep the selected session visible. */
export function SessionsPanel({ width, height, focused, selected }: SessionsPanelProps): ReactNode {
  const { sessions, self, loaded } = useRelayState();
  const worktrees = useWorktrees();
  const inner = width - 2;
  const content = height - 2;
  const detailRows = content >= 6 ? DETAIL_ROWS : 0;
  const listRows = content - detailRows;
  const index = sessions.findIndex((s) => s.id === selected);
  const start = Math.max(0, Math.min(index - listRows + 1, sessions.length - listRows));
  const visible = sessions.slice(Math.max(0, start), Math.max(0, start) + listRows);
  const idMax = sessions.some((s) => s.host !== undefined) ? Math.min(HOST_ID_MAX, Math.floor(inner / 2)) : ID_MAX;
  const idWidth = Math.min(idMax, Math.max(4, ...sessions.map((s) => rosterName(s).length)));
  const current = sessions[index];
  return (
    <Panel title={`Sessions (${sessions.length})`} width={width} height={height} focused={focused}>
      {!loaded && sessions.length === 0 ? <Text color="gray">loading…</Text> : null}
      {visible.map((session) => (
        <SessionRow
          key={session.id}
          session={session}
          self={session.id === self}
          selected={session.id === selected}
          idWidth={idWidth}
          width={inner}
          changed={worktrees.get(session.id)?.changed}
        />
      ))}
      {Array.from({ length: Math.max(0, listRows - visible.length) }, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
      {detailRows > 0 && current ? (
        <SessionDetail session={current} width={inner} worktree={worktrees.get(current.id)} />
      ) : null}
    </Panel>
  );
}

function SessionRow(props: {
  readonly session: SessionView;
  readonly self: boolean;
  readonly selected: boolean;
  readonly idWidth: number;
  readonly width: number;
  /** Files its worktree changed, when it has one. */
  readonly changed?: number | undefined;
}): ReactNode {
  const { session, selected, idWidth, width } = props;
  const operator = session.role === 'operator';
  const offline = hostOffline(session);
  const label = operator ? `operator${props.self ? ' (you)' : ''}` : offline ? HOST_OFFLINE_LABEL : stateLabel(session);
  const tone = operator ? 'gray' : offline ? 'yellow' : blockedBy(session) ? 'magenta' : stateTone(session.state);
  const unread = `${session.unread > 0 ? ` ✉${session.unread}` : ''}${props.changed ? ` ±${props.changed}` : ''}`;
  // Wide panels also name the transport in a right-hand column.
  const transport = width >= TRANSPORT_MIN_WIDTH ? ` ${TRANSPORT_TAGS[session.transport]}` : '';
  const rest = Math.max(0, width - 2 - idWidth - transport.length);
  const stateText = truncate(label, Math.max(0, rest - unread.length));
  const gap = ' '.repeat(Math.max(0, rest - textWidth(stateText) - unread.length));
  return (
    <Text wrap="truncate-end" inverse={selected}>
      <Text color="cyan">{selected ? '›' : ' '}</Text>
      <Text bold={props.self}>{`${fit(rosterName(session), idWidth)} `}</Text>
      <Text color={tone} dimColor={offline}>
        {stateText}
      </Text>
      <Text color="magenta">{unread}</Text>
      <Text color="gray">{transport ? gap + transport : ''}</Text>
    </Text>
  );
}

function SessionDetail(props: {
  readonly session: SessionView;
  readonly width: number;
  readonly worktree?: WorktreeSummary | undefined;
}): ReactNode {
  const { session, width, worktree } = props;
  const attached = session.attached ? ' · operator attached' : '';
  const host = session.host === undefined ? '' : ` · on ${session.host}${hostOffline(session) ? ' (offline)' : ''}`;
  // A worktree agent shows its branch and diff stat unless something needs saying.
  const branch = worktree ? `${worktree.branch} · ${worktree.shortstat || 'no changes'}` : undefined;
  const note = session.reason ?? branch ?? session.description ?? session.name ?? '';
  return (
    <>
      <Text color="gray" wrap="truncate-end">
        {truncate(`${session.id}: ${session.transport} · ${session.state_source}${host}${attached}`, width)}
      </Text>
      <Text color="gray" wrap="truncate-end">
        {truncate(note, width)}
      </Text>
    </>
  );
}
