// `ask`: send a question and wait (bounded) for the answer in its thread. A wait that runs out
// is a normal result: the question stays with its recipients and a late reply reaches the inbox.
import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_RECIPIENTS, METHODS, SendParamsSchema, type RepliesWaitResult } from '../../core/protocol/index.js';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolContext } from '../tool-context.js';
import { outputSchema } from '../tool-result.js';
import { MCP_MAX_WAIT_MS } from './mail-tools.js';
import { SessionId, oneOrMany } from './inputs.js';
import { messageLines } from './render.js';

const AskInput = z.strictObject({
  to: oneOrMany(SessionId, MAX_RECIPIENTS).describe('Session id to ask, or a list of them (see `list`)'),
  body: z.string().min(1).describe('The question (UTF-8, at most 256 KiB)'),
  subject: SendParamsSchema.shape.subject.describe('Optional subject line'),
  all: z.boolean().optional().describe('Wait for a reply from every recipient (default: the first reply)'),
  wait_ms: z
    .number()
    .int()
    .min(0)
    .max(MCP_MAX_WAIT_MS)
    .optional()
    .describe(`How long to wait for the answer (default and max ${MCP_MAX_WAIT_MS})`),
});

function askSummary(result: RepliesWaitResult, waitMs: number): string {
  if (result.answered) {
    const who = [...new Set(result.replies.map((reply) => reply.from))].join(', ');
    return `asked ${result.message_id}; answered by ${who}`;
  }
  return (
    `asked ${result.message_id}; no ${result.replies.length > 0 ? 'complete ' : ''}answer within ${waitMs} ms ` +
    `(waiting on ${result.pending.join(', ')}). This is not an error: the question stays in their inbox and ` +
    `a later reply reaches your inbox (thread ${result.thread}); call \`thread\` with that id to check.`
  );
}

/** Registers `ask`. */
export function registerAskTool(mcp: McpServer, context: ToolContext): void {
  mcp.registerTool(
    'ask',
    {
      title: 'Ask and wait for the answer',
      description:
        'Send a question to one or more teammates and wait for their reply in that thread (the first ' +
        `reply, or every recipient's with all: true), at most wait_ms (max ${MCP_MAX_WAIT_MS / 1000} s). ` +
        'Replies returned here are marked read, so they are not shown to you again. A wait that runs ' +
        'out returns answered: false; the reply still arrives later in your inbox.',
      inputSchema: AskInput,
      outputSchema: outputSchema(METHODS['replies.wait'].result.shape),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) => {
      const waitMs = args.wait_ms ?? MCP_MAX_WAIT_MS;
      const timeoutMs = waitMs + 2 * DEFAULT_TOOL_TIMEOUT_MS;
      return runTool(context, 'ask', { timeoutMs, signal: extra.signal }, async (run) => {
        const to = typeof args.to === 'string' ? [args.to] : [...new Set(args.to)];
        const sent = await run.acting.link.request(
          'send',
          {
            to,
            body: args.body,
            ...(args.subject === undefined ? {} : { subject: args.subject }),
            request_id: randomUUID(),
          },
          { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: run.signal, retry: true },
        );
        const result = await run.acting.link.request(
          'replies.wait',
          { id: sent.message_id, from: to, all: args.all ?? false, wait_ms: waitMs },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        if (result.replies.length > 0) context.inboxChanged();
        return {
          summary: askSummary(result, waitMs),
          lines: result.replies.flatMap(messageLines),
          data: result,
        };
      });
    },
  );
}
