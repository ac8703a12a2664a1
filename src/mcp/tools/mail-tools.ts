// `send`, `inbox` and `ack`: writing to the team and reading what it wrote to me.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_RECIPIENTS, METHODS, SendParamsSchema, type SendResult } from '../../core/protocol/index.js';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolContext } from '../tool-context.js';
import { outputSchema } from '../tool-result.js';
import { MessageId, SessionId, oneOrMany } from './inputs.js';
import { messageLines } from './render.js';

/** Longest `wait_ms` an MCP send may ask for (Settled 23): clients time tool calls out at ~60 s. */
export const MCP_MAX_WAIT_MS = 30_000;
/** Most messages one `inbox` call returns. */
export const MCP_MAX_INBOX = 100;

const SendInput = z.strictObject({
  to: oneOrMany(SessionId, MAX_RECIPIENTS)
    .optional()
    .describe('Recipient session id, or a list of them (see `list`); may be left out with reply_to'),
  body: z.string().min(1).describe('The message text (UTF-8, at most 256 KiB)'),
  subject: SendParamsSchema.shape.subject.describe('Optional subject line'),
  reply_to: MessageId.optional().describe('Id of the message this answers; the reply joins its thread'),
  wait_ms: z
    .number()
    .int()
    .min(0)
    .max(MCP_MAX_WAIT_MS)
    .optional()
    .describe(
      `Wait up to this long (max ${MCP_MAX_WAIT_MS}) for every recipient to have it; ` +
        'a wait that runs out returns timed_out: true and delivery goes on',
    ),
});

const InboxInput = z.strictObject({
  limit: z.number().int().min(1).max(MCP_MAX_INBOX).optional().describe('At most this many (default 20)'),
  peek: z.boolean().optional().describe('Leave the messages unread (default false: reading marks them read)'),
});

const AckInput = z.strictObject({
  ids: oneOrMany(MessageId, 1000).describe('Message id, or a list of them, to mark read'),
});

function sendSummary(result: SendResult, waitMs: number | undefined): string {
  const outcomes = result.results.map((r) => `${r.target}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
  const head = `sent ${result.message_id} (thread ${result.thread}) → ${outcomes.join(', ')}`;
  if (result.timed_out) {
    return `${head}; the ${waitMs ?? 0} ms wait ran out before every recipient had it (timed_out: true) — delivery continues`;
  }
  return head;
}

/** Registers `send`, `inbox` and `ack`. */
export function registerMailTools(mcp: McpServer, context: ToolContext): void {
  mcp.registerTool(
    'send',
    {
      title: 'Send a message',
      description:
        'Send a message to one or more sessions of your team. Async by default: returns the message id ' +
        "and each recipient's state (queued, typing, submitted, delivered, failed). With wait_ms it waits " +
        `for delivery, never longer than wait_ms + ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s. ` +
        'Use reply_to to answer a message (without `to`, the reply goes to its sender).',
      inputSchema: SendInput,
      outputSchema: outputSchema(METHODS.send.result.shape),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) => {
      const waitMs = args.wait_ms;
      const timeoutMs = (waitMs ?? 0) + DEFAULT_TOOL_TIMEOUT_MS;
      return runTool(context, 'send', { timeoutMs, signal: extra.signal }, async (run) => {
        const params = {
          to: args.to === undefined ? [] : typeof args.to === 'string' ? [args.to] : args.to,
          body: args.body,
          ...(args.subject === undefined ? {} : { subject: args.subject }),
          ...(args.reply_to === undefined ? {} : { reply_to: args.reply_to }),
          // The request id makes the retry after a lost connection safe (Settled 8).
          request_id: randomUUID(),
          ...(waitMs === undefined ? {} : { wait_ms: waitMs }),
        };
        const result = await run.acting.link.request('send', params, {
          timeoutMs: run.remainingMs(),
          signal: run.signal,
          retry: true,
        });
        return { summary: sendSummary(result, waitMs), data: result };
      });
    },
  );

  mcp.registerTool(
    'inbox',
    {
      title: 'Read my inbox',
      description:
        'Unread messages addressed to you, oldest first; reading marks them read (peek: true does not). ' +
        'Messages typed into your terminal are already read. ' +
        `Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: InboxInput,
      outputSchema: outputSchema(METHODS['inbox.fetch'].result.shape),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'inbox', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const markRead = !(args.peek ?? false);
        const result = await run.acting.link.request(
          'inbox.fetch',
          { unread_only: true, limit: args.limit ?? 20, mark_read: markRead },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        if (markRead && result.messages.length > 0) context.inboxChanged();
        const count = result.messages.length;
        const verb = markRead ? 'now marked read' : 'left unread';
        return {
          summary: count === 0 ? 'no unread messages' : `${count} message${count === 1 ? '' : 's'} (${verb})`,
          lines: result.messages.flatMap(messageLines),
          data: result,
          unread: result.unread,
        };
      }),
  );

  mcp.registerTool(
    'ack',
    {
      title: 'Mark messages read',
      description:
        'Mark messages addressed to you as read, by id (e.g. ones you saw in your terminal). ' +
        `Ids that are not yours are listed as unknown. Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: AckInput,
      outputSchema: outputSchema(METHODS['inbox.ack'].result.shape),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'ack', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const ids = typeof args.ids === 'string' ? [args.ids] : args.ids;
        const result = await run.acting.link.request(
          'inbox.ack',
          { ids },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        if (result.acked.length > 0) context.inboxChanged();
        const unknown = result.unknown.length > 0 ? `; not in your inbox: ${result.unknown.join(', ')}` : '';
        return { summary: `marked ${result.acked.length} read${unknown}`, data: result, unread: result.unread };
      }),
  );
}
