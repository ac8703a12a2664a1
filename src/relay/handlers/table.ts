// Every request method the relay serves after hello, keyed by the protocol's method list: the
// compiler checks that each method has a handler and that its params and result match the
// schemas. `hello` and `subscribe` change the connection itself, so the connection owns them.
// Each handler declares the part of the core it uses (its `…Deps` type), so the compiler keeps
// it to that and a test can run it with just those parts; the table hands the core to each.
import type { z } from 'zod';
import type { METHODS, MethodName, MethodResult } from '../../core/protocol/index.js';
import { authorize, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';
import { handleDown, handleLook, handleRaww, handleUp } from './agents.js';
import { handleHistorySearch, handleInboxAck, handleInboxFetch, handleThreadGet } from './mailbox.js';
import { handlePermissionApprove, handlePermissionDeny, handlePermissionList } from './permissions.js';
import { handleRepliesWait, handleSessionsWait } from './orchestration.js';
import { handleReload } from './reload.js';
import { handleList } from './roster.js';
import { handleSend } from './send.js';
import { handleSessionReport } from './session-report.js';

/** What one request runs with. */
export interface RequestContext {
  readonly core: RelayCore;
  readonly principal: Principal;
  /** Aborts when the requesting connection closes, so long waits end with their client. */
  readonly signal: AbortSignal;
}

/** Methods the connection handles itself. */
export type ConnectionMethod = 'hello' | 'subscribe';
/** Methods served by the table. */
export type TableMethod = Exclude<MethodName, ConnectionMethod>;

/** Params of a method after schema parsing (defaults applied). */
export type ParsedParams<M extends MethodName> = z.output<(typeof METHODS)[M]['params']>;

type Handler<M extends TableMethod> = (
  context: RequestContext,
  params: ParsedParams<M>,
) => MethodResult<M> | Promise<MethodResult<M>>;

/** One handler per method; a method added to the protocol fails to compile until it is here. */
export const HANDLERS: { readonly [M in TableMethod]: Handler<M> } = {
  send: ({ core, principal, signal }, params) => handleSend(core, principal, params, signal),
  'inbox.fetch': ({ core, principal }, params) => handleInboxFetch(core, principal, params),
  'inbox.ack': ({ core, principal }, params) => handleInboxAck(core, principal, params),
  'history.search': ({ core, principal }, params) => handleHistorySearch(core, principal, params),
  'thread.get': ({ core, principal }, params) => handleThreadGet(core, principal, params),
  list: ({ core, principal }) => handleList(core, principal),
  status: ({ core }) => core.status(),
  // The connection stops the relay once this answer is written.
  'relay.shutdown': ({ principal }) => {
    authorize(principal, 'lifecycle');
    return { stopping: true };
  },
  'relay.reload': ({ core, principal }) => handleReload(core, principal),
  up: ({ core, principal }, params) => handleUp(core, principal, params),
  down: ({ core, principal }, params) => handleDown(core, principal, params),
  look: ({ core, principal }, params) => handleLook(core, principal, params),
  raww: ({ core, principal }, params) => handleRaww(core, principal, params),
  'session.report': ({ core, principal }, params) => handleSessionReport(core, principal, params),
  'permission.list': ({ core, principal }) => handlePermissionList(core, principal),
  'permission.approve': ({ core, principal }, params) => handlePermissionApprove(core, principal, params),
  'permission.deny': ({ core, principal }, params) => handlePermissionDeny(core, principal, params),
  'replies.wait': ({ core, principal, signal }, params) => handleRepliesWait(core, principal, params, signal),
  'sessions.wait': ({ core, principal, signal }, params) => handleSessionsWait(core, principal, params, signal),
};

/** Runs the handler of `method`; its params were parsed with that method's schema. */
export function runHandler(method: TableMethod, context: RequestContext, params: unknown): unknown {
  // The one place the method/params correlation is asserted: dispatch parsed `params` with
  // METHODS[method].params, which is exactly what HANDLERS[method] takes.
  const handler = HANDLERS[method] as (context: RequestContext, params: unknown) => unknown;
  return handler(context, params);
}
