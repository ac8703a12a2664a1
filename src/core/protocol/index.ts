// Public names of the wire protocol.
export {
  MAX_BODY_BYTES,
  MAX_FRAME_BYTES,
  MAX_LOGGED_FRAME_BYTES,
  MAX_RECIPIENTS,
  MAX_SUBJECT_CHARS,
  MAX_WAIT_MS,
  PROTOCOL_VERSION,
} from './limits.js';
export {
  ErrorDataSchema,
  JSONRPC_APPLICATION_ERROR,
  JSONRPC_INTERNAL_ERROR,
  JSONRPC_INVALID_PARAMS,
  JSONRPC_INVALID_REQUEST,
  JSONRPC_METHOD_NOT_FOUND,
  JSONRPC_PARSE_ERROR,
  RequestFrameSchema,
  ResponseFrameSchema,
  jsonRpcClassFor,
} from './jsonrpc.js';
export type { ErrorData, RequestFrame, RequestId, ResponseFrame } from './jsonrpc.js';
export {
  DeliveryStateSchema,
  FINAL_DELIVERY_STATES,
  HistoryMessageSchema,
  InboxMessageSchema,
  MessageSchema,
  SessionRoleSchema,
  SessionStateSchema,
  SessionViewSchema,
  StateSourceSchema,
  StatusSnapshotSchema,
  TransportKindSchema,
} from './records.js';
export type {
  Delivery,
  DeliveryState,
  HistoryMessage,
  InboxMessage,
  Message,
  SessionRole,
  SessionState,
  SessionView,
  StateSource,
  StatusSnapshot,
  TransportKind,
} from './records.js';
export { MAX_RAWW_BYTES, METHODS, SendParamsSchema, isMethodName } from './methods.js';
export type {
  HelloParams,
  HelloResult,
  InboxAckResult,
  InboxFetchResult,
  ListResult,
  MethodName,
  MethodParams,
  MethodResult,
  SendParams,
  SendResult,
  SendResultEntry,
  SessionOutcome,
  UpResult,
  LookResult,
  RawwResult,
  SubscribeResult,
  ThreadGetResult,
  HistorySearchResult,
} from './methods.js';
export { NOTIFICATIONS } from './notifications.js';
export type { NotificationName, NotificationParams } from './notifications.js';
