// `thread` and `search`: what was said, and what became of each message (delivered, failed, read).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { METHODS } from '../../core/protocol/index.js';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolContext } from '../tool-context.js';
import { outputSchema } from '../tool-result.js';
import { MessageId, SessionId } from './inputs.js';
import { historyLines } from './render.js';

const ThreadInput = z.strictObject({
  id: MessageId.describe('A message id or thread id; the whole thread is returned'),
});

const SearchInput = z.strictObject({
  query: z.string().min(1).max(1024).optional().describe('Words to find (matched as a phrase unless fts is true)'),
  fts: z.boolean().optional().describe('Treat query as SQLite FTS5 syntax (AND, OR, prefix*)'),
  thread: MessageId.optional().describe('Only this thread'),
  session: SessionId.optional().describe('Only messages from or to this session'),
  limit: z.number().int().min(1).max(200).optional().describe('At most this many, newest (default 20)'),
});

/** Registers `thread` and `search`. */
export function registerHistoryTools(mcp: McpServer, context: ToolContext): void {
  mcp.registerTool(
    'thread',
    {
      title: 'Show a thread',
      description:
        "Every message of the thread a message belongs to, oldest first, with each recipient's " +
        `delivery state. Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: ThreadInput,
      outputSchema: outputSchema(METHODS['thread.get'].result.shape),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'thread', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const result = await run.acting.link.request(
          'thread.get',
          { id: args.id },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        return {
          summary: `thread ${result.thread}: ${result.messages.length} message${result.messages.length === 1 ? '' : 's'}`,
          lines: result.messages.flatMap(historyLines),
          data: result,
        };
      }),
  );

  mcp.registerTool(
    'search',
    {
      title: 'Search message history',
      description:
        'Search the journaled messages you may see (by default your own: sent or received), newest ' +
        `matches returned oldest first. Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: SearchInput,
      outputSchema: outputSchema(METHODS['history.search'].result.shape),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'search', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const result = await run.acting.link.request(
          'history.search',
          {
            ...(args.query === undefined ? {} : { query: args.query }),
            ...(args.fts === undefined ? {} : { fts: args.fts }),
            ...(args.thread === undefined ? {} : { thread: args.thread }),
            ...(args.session === undefined ? {} : { session: args.session }),
            limit: args.limit ?? 20,
          },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        const count = result.messages.length;
        return {
          summary: count === 0 ? 'no matching messages' : `${count} matching message${count === 1 ? '' : 's'}`,
          lines: result.messages.flatMap(historyLines),
          data: result,
        };
      }),
  );
}
