// Params and results of every relay method. Params are strict (a field the relay does not
// know is an error, so no caller can smuggle a sender); results are loose so older clients
// keep working against newer relays.
import { z } from 'zod';
import { MAX_RECIPIENTS, MAX_SUBJECT_CHARS, MAX_WAIT_MS, PROTOCOL_VERSION } from './limits.js';
import {
  DeliveryStateSchema,
  HistoryMessageSchema,
  InboxMessageSchema,
  SessionRoleSchema,
  SessionStateSchema,
  SessionViewSchema,
  StateSourceSchema,
  StatusSnapshotSchema,
} from './records.js';
import {
  RepliesWaitParamsSchema,
  RepliesWaitResultSchema,
  SessionsWaitParamsSchema,
  SessionsWaitResultSchema,
} from './orchestration.js';

const SessionRef = z.string().min(1).max(64);
const MessageRef = z.string().min(1).max(64);

export const HelloParamsSchema = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  bundle: z.string().min(1).max(64),
  /** Required for agents and operators; observers (status tools) may omit it. */
  session: SessionRef.optional(),
  /** Optional: the relay derives the role from the configuration; a wrong claim is refused. */
  role: SessionRoleSchema.optional(),
  /**
   * What proves the identity: the bundle's operator key (a human's shell) or the session's own
   * credential (AGENTMUX_TOKEN in an agent's pane). Without one a connection only observes.
   */
  credential: z.string().min(1).max(256).optional(),
  client: z.strictObject({ name: z.string().max(64), version: z.string().max(32) }),
});
export type HelloParams = z.infer<typeof HelloParamsSchema>;

export const HelloResultSchema = z.looseObject({
  bundle: z.string(),
  session: z.string().nullable(),
  role: SessionRoleSchema,
  relay: z.looseObject({ pid: z.number().int(), version: z.string(), protocol: z.number().int() }),
});
export type HelloResult = z.infer<typeof HelloResultSchema>;

export const SendParamsSchema = z.strictObject({
  to: z.array(SessionRef).max(MAX_RECIPIENTS).default([]),
  cc: z.array(SessionRef).max(MAX_RECIPIENTS).optional(),
  broadcast: z.boolean().optional(),
  subject: z.string().max(MAX_SUBJECT_CHARS).optional(),
  body: z.string(),
  reply_to: MessageRef.optional(),
  request_id: z.string().min(1).max(128).optional(),
  wait_ms: z.number().int().min(0).max(MAX_WAIT_MS).optional(),
});
export type SendParams = z.input<typeof SendParamsSchema>;

export const SendResultEntrySchema = z.looseObject({
  target: z.string(),
  outcome: DeliveryStateSchema,
  reason: z.string().optional(),
});
export type SendResultEntry = z.infer<typeof SendResultEntrySchema>;

export const SendResultSchema = z.looseObject({
  message_id: z.string(),
  thread: z.string(),
  results: z.array(SendResultEntrySchema),
  /** True when the wait ended before every recipient reached a final state. */
  timed_out: z.boolean().optional(),
});
export type SendResult = z.infer<typeof SendResultSchema>;

export const InboxFetchParamsSchema = z.strictObject({
  unread_only: z.boolean().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  mark_read: z.boolean().optional(),
});
export const InboxFetchResultSchema = z.looseObject({
  messages: z.array(InboxMessageSchema),
  unread: z.number().int(),
});
export type InboxFetchResult = z.infer<typeof InboxFetchResultSchema>;

export const InboxAckParamsSchema = z.strictObject({ ids: z.array(MessageRef).min(1).max(1000) });
export const InboxAckResultSchema = z.looseObject({
  acked: z.array(z.string()),
  unknown: z.array(z.string()),
  unread: z.number().int(),
});
export type InboxAckResult = z.infer<typeof InboxAckResultSchema>;

export const HistorySearchParamsSchema = z.strictObject({
  query: z.string().min(1).max(1024).optional(),
  fts: z.boolean().optional(),
  thread: MessageRef.optional(),
  session: SessionRef.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export const HistorySearchResultSchema = z.looseObject({ messages: z.array(HistoryMessageSchema) });
export type HistorySearchResult = z.infer<typeof HistorySearchResultSchema>;

export const ThreadGetParamsSchema = z.strictObject({ id: MessageRef });
export const ThreadGetResultSchema = z.looseObject({
  thread: z.string(),
  messages: z.array(HistoryMessageSchema),
});
export type ThreadGetResult = z.infer<typeof ThreadGetResultSchema>;

export const ListParamsSchema = z.strictObject({});
export const ListResultSchema = z.looseObject({
  bundle: z.string(),
  relay: z.looseObject({ pid: z.number().int(), state: z.enum(['running', 'down']), version: z.string() }),
  sessions: z.array(SessionViewSchema),
});
export type ListResult = z.infer<typeof ListResultSchema>;

export const SubscribeParamsSchema = z.strictObject({
  /** Take delivery of messages addressed to this session (TUI, watch, SDK clients). */
  messages: z.boolean().optional(),
  /** Receive unread counts (`inbox.updated`) without taking delivery (MCP). */
  inbox: z.boolean().optional(),
  /** Receive every bundle event (`delivery.updated`, `session.updated`, `relay.status`). */
  events: z.boolean().optional(),
  /** Replay notifications after this sequence number, when the relay still has them. */
  since: z.number().int().min(0).optional(),
  /** While connected, receive every supervisor event as a message (`watch --events`). */
  supervise: z.boolean().optional(),
});
export const SubscribeResultSchema = z.looseObject({ seq: z.number().int(), replayed: z.number().int() });
export type SubscribeResult = z.infer<typeof SubscribeResultSchema>;

export const StatusParamsSchema = z.strictObject({});
export const StatusResultSchema = StatusSnapshotSchema;

export const ShutdownParamsSchema = z.strictObject({});
export const ShutdownResultSchema = z.looseObject({ stopping: z.boolean() });
/** `relay.reload`: read the configuration again; a valid change restarts the relay in place. */
export const ReloadParamsSchema = z.strictObject({});
export const ReloadResultSchema = z.looseObject({ changes: z.array(z.string()), restarting: z.boolean() });
export type ReloadResult = z.infer<typeof ReloadResultSchema>;

/** Largest `raww` text, in UTF-8 bytes. */
export const MAX_RAWW_BYTES = 32 * 1024;

export const UpParamsSchema = z.strictObject({
  /** Only these sessions (default: every agent of the bundle). */
  sessions: z.array(SessionRef).max(256).optional(),
  /** Start anew instead of resuming the recorded conversation. */
  fresh: z.boolean().optional(),
  /** Restart sessions that are already running (with `sessions`: restart one agent). */
  restart: z.boolean().optional(),
  /** The caller's working directory, terminal size and environment, passed to new panes. */
  cwd: z.string().max(4096).optional(),
  cols: z.number().int().min(20).max(1000).optional(),
  rows: z.number().int().min(5).max(500).optional(),
  env: z.record(z.string().max(256), z.string().max(32_768)).optional(),
});
export const SessionOutcomeSchema = z.looseObject({
  id: z.string(),
  transport: z.string(),
  outcome: z.enum(['created', 'kept', 'restarted', 'stopped', 'absent', 'skipped', 'failed']),
  reason: z.string().optional(),
  pane_id: z.string().optional(),
  command: z.string().optional(),
  pids: z.array(z.number().int()).optional(),
});
export type SessionOutcome = z.infer<typeof SessionOutcomeSchema>;
export const UpResultSchema = z.looseObject({ bundle: z.string(), sessions: z.array(SessionOutcomeSchema) });
export type UpResult = z.infer<typeof UpResultSchema>;
export const DownParamsSchema = z.strictObject({ sessions: z.array(SessionRef).max(256).optional() });
export const DownResultSchema = UpResultSchema;

export const LookParamsSchema = z.strictObject({
  target: SessionRef,
  lines: z.number().int().min(1).max(1000).optional(),
});
export const LookResultSchema = z.looseObject({
  target: z.string(),
  transport: z.string(),
  captured_at: z.string(),
  state: z.string(),
  lines: z.array(z.string()),
});
export type LookResult = z.infer<typeof LookResultSchema>;

export const RawwParamsSchema = z.strictObject({
  target: SessionRef,
  /** Literal text typed into the pane (sanitized). */
  text: z.string().optional(),
  /** tmux key names pressed after the text, e.g. ["Escape"], ["C-c"]. */
  keys: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,16}$/))
    .max(32)
    .optional(),
  /** Press Enter after the text (default true when text is given). */
  enter: z.boolean().optional(),
});
export const RawwResultSchema = z.looseObject({
  target: z.string(),
  transport: z.string(),
  status: z.literal('accepted'),
});
export type RawwResult = z.infer<typeof RawwResultSchema>;

/** States an agent's own hooks may report (`session.report`); `offline` is SessionEnd. */
export const HookStateSchema = z.enum(['busy', 'idle', 'waiting_input', 'offline']);
export type HookState = z.infer<typeof HookStateSchema>;

/** Longest hook prompt the relay keeps, in characters (the hook truncates to 4 KiB of UTF-8). */
export const MAX_HOOK_PROMPT_CHARS = 4096;

export const SessionReportParamsSchema = z.strictObject({
  /** Absent when the event only tells the conversation id (SessionStart). */
  state: HookStateSchema.optional(),
  /** The client's event name, e.g. `Stop`, `BeforeAgent`, `agent-turn-complete`. */
  event: z.string().min(1).max(64),
  /** The agent's own conversation id (Claude/Gemini `session_id`, Codex `thread-id`), for resume. */
  conversation_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/)
    .optional(),
  /** The submitted prompt (UserPromptSubmit/BeforeAgent), so a pane delivery can confirm itself. */
  prompt: z.string().max(MAX_HOOK_PROMPT_CHARS).optional(),
});
export type SessionReportParams = z.infer<typeof SessionReportParamsSchema>;
export const SessionReportResultSchema = z.looseObject({
  session: z.string(),
  state: SessionStateSchema,
  state_source: StateSourceSchema,
});
export type SessionReportResult = z.infer<typeof SessionReportResultSchema>;

/** One choice an ACP agent offers in a permission request. */
export const PermissionOptionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  /** allow_once | allow_always | reject_once | reject_always (ACP `PermissionOptionKind`). */
  kind: z.string(),
});
export type PermissionOption = z.infer<typeof PermissionOptionSchema>;

/** An ACP agent's `session/request_permission`, waiting for an operator. */
export const PermissionRequestSchema = z.looseObject({
  id: z.string(),
  session: z.string(),
  title: z.string(),
  options: z.array(PermissionOptionSchema),
  requested_at: z.string(),
  /** When the coder's `permission-default` is applied if nobody answers. */
  expires_at: z.string(),
  /** The message whose prompt turn asked, if any. */
  message_id: z.string().nullable(),
  tool_call_id: z.string().nullable(),
});
export type PermissionRequest = z.infer<typeof PermissionRequestSchema>;

/** How a permission request ended: the option chosen, or cancelled. */
export const PermissionResolutionSchema = z.looseObject({
  id: z.string(),
  session: z.string(),
  outcome: z.enum(['selected', 'cancelled']),
  option: z.string().nullable(),
  /** The operator session, `timeout` (permission-default applied) or `relay` (turn or worker ended). */
  decided_by: z.string(),
  resolved_at: z.string(),
});
export type PermissionResolution = z.infer<typeof PermissionResolutionSchema>;

export const PermissionListParamsSchema = z.strictObject({});
export const PermissionListResultSchema = z.looseObject({ permissions: z.array(PermissionRequestSchema) });
export type PermissionListResult = z.infer<typeof PermissionListResultSchema>;
export const PermissionApproveParamsSchema = z.strictObject({
  id: z.string().min(1).max(64),
  /** An option id; default: the first allow option. */
  option: z.string().min(1).max(256).optional(),
});
export const PermissionDenyParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** Every method the relay serves, with its schemas. */
export const METHODS = {
  hello: { params: HelloParamsSchema, result: HelloResultSchema },
  send: { params: SendParamsSchema, result: SendResultSchema },
  'inbox.fetch': { params: InboxFetchParamsSchema, result: InboxFetchResultSchema },
  'inbox.ack': { params: InboxAckParamsSchema, result: InboxAckResultSchema },
  'history.search': { params: HistorySearchParamsSchema, result: HistorySearchResultSchema },
  'thread.get': { params: ThreadGetParamsSchema, result: ThreadGetResultSchema },
  list: { params: ListParamsSchema, result: ListResultSchema },
  subscribe: { params: SubscribeParamsSchema, result: SubscribeResultSchema },
  status: { params: StatusParamsSchema, result: StatusResultSchema },
  'relay.shutdown': { params: ShutdownParamsSchema, result: ShutdownResultSchema },
  'relay.reload': { params: ReloadParamsSchema, result: ReloadResultSchema },
  up: { params: UpParamsSchema, result: UpResultSchema },
  down: { params: DownParamsSchema, result: DownResultSchema },
  look: { params: LookParamsSchema, result: LookResultSchema },
  raww: { params: RawwParamsSchema, result: RawwResultSchema },
  'session.report': { params: SessionReportParamsSchema, result: SessionReportResultSchema },
  'permission.list': { params: PermissionListParamsSchema, result: PermissionListResultSchema },
  'permission.approve': { params: PermissionApproveParamsSchema, result: PermissionResolutionSchema },
  'permission.deny': { params: PermissionDenyParamsSchema, result: PermissionResolutionSchema },
  'replies.wait': { params: RepliesWaitParamsSchema, result: RepliesWaitResultSchema },
  'sessions.wait': { params: SessionsWaitParamsSchema, result: SessionsWaitResultSchema },
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof METHODS)[M]['result']>;

/** True when `name` is a method the relay serves. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
