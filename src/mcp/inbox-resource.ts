// `agentmux://inbox`: my unread messages as JSON, with `resources/subscribe` so a client is told
// (`notifications/resources/updated`) whenever the relay reports new mail. Reading the
// resource never marks anything read.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { toAgentmuxError } from '../core/errors.js';
import { noIdentityError } from './identity.js';
import { DEFAULT_TOOL_TIMEOUT_MS, withDeadline, type ToolContext } from './tool-context.js';

/** The inbox resource's URI. */
export const INBOX_URI = 'agentmux://inbox';

/** Messages the resource shows at most. */
const RESOURCE_LIMIT = 100;

/** Lets the server tell subscribers about changes and ask whether anyone listens. */
export interface InboxResource {
  /** Sends `notifications/resources/updated` if a client subscribed to the inbox. */
  changed(): void;
  /** True while a client is subscribed. */
  watched(): boolean;
}

function asMcpError(error: unknown): McpError {
  const coded = toAgentmuxError(error);
  return new McpError(ErrorCode.InternalError, `${coded.code}: ${coded.message}`, {
    code: coded.code,
    hint: coded.hint,
    ...(coded.details === undefined ? {} : { details: coded.details }),
  });
}

/** Registers the resource and its subscribe/unsubscribe handlers (call before connect). */
export function registerInboxResource(
  mcp: McpServer,
  context: () => ToolContext,
  log: (line: string) => void,
): InboxResource {
  const subscribed = new Set<string>();
  mcp.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  mcp.registerResource(
    'inbox',
    INBOX_URI,
    {
      title: 'My agentmux inbox',
      description: 'Unread messages addressed to me (JSON); subscribe to be told when mail arrives',
      mimeType: 'application/json',
    },
    async (uri, extra) => {
      const acting = context().acting;
      const refusal = context().refusal;
      if (refusal !== undefined) throw asMcpError(refusal);
      if (acting === undefined) throw asMcpError(noIdentityError(context().tried));
      try {
        const result = await withDeadline(
          'resources/read',
          DEFAULT_TOOL_TIMEOUT_MS,
          extra.signal,
          (signal, remainingMs) =>
            acting.link.request(
              'inbox.fetch',
              { unread_only: true, limit: RESOURCE_LIMIT, mark_read: false },
              { timeoutMs: remainingMs(), signal, retry: true },
            ),
        );
        const document = {
          bundle: acting.identity.bundle,
          session: acting.identity.session,
          unread: result.unread,
          messages: result.messages,
        };
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(document, null, 2) }] };
      } catch (error) {
        throw asMcpError(error);
      }
    },
  );
  mcp.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    if (request.params.uri !== INBOX_URI) {
      throw new McpError(ErrorCode.InvalidParams, `no resource ${request.params.uri}; subscribe to ${INBOX_URI}`);
    }
    subscribed.add(request.params.uri);
    context().acting?.link.watch();
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  return {
    changed: () => {
      if (!subscribed.has(INBOX_URI)) return;
      mcp.server.sendResourceUpdated({ uri: INBOX_URI }).catch((error: unknown) => {
        log(`cannot notify the inbox update: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
    watched: () => subscribed.size > 0,
  };
}
