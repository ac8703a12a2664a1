// `look` and `raww`: read a teammate's screen; type raw keys into it. Both are listed only when
// the session's policy allows them (the relay still decides every call).
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AgentmuxError } from '../../core/errors.js';
import { MAX_RAWW_BYTES, METHODS } from '../../core/protocol/index.js';
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, type ToolContext } from '../tool-context.js';
import { outputSchema } from '../tool-result.js';
import { SessionId } from './inputs.js';

const LookInput = z.strictObject({
  target: SessionId.describe('Whose screen to read'),
  lines: z.number().int().min(1).max(1000).optional().describe('Last N lines of the screen (default 50)'),
});

const RawwInput = z.strictObject({
  target: SessionId.describe('Whose pane to type into'),
  text: z.string().max(MAX_RAWW_BYTES).optional().describe('Literal text to type (sanitized)'),
  keys: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,16}$/))
    .max(32)
    .optional()
    .describe('tmux key names pressed after the text, e.g. ["Escape"] or ["C-c"]'),
  enter: z.boolean().optional().describe('Press Enter after the text (default true)'),
});

/** The screen tools, so the server can list them only where the policy allows. */
export interface ScreenTools {
  look: RegisteredTool;
  raww: RegisteredTool;
}

/** Registers `look` and `raww`. */
export function registerScreenTools(mcp: McpServer, context: ToolContext): ScreenTools {
  const look = mcp.registerTool(
    'look',
    {
      title: "Look at a teammate's screen",
      description:
        "The last lines of a tmux session's screen, e.g. to see whether an agent is stuck on a prompt. " +
        `Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: LookInput,
      outputSchema: outputSchema(METHODS.look.result.shape),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'look', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        const result = await run.acting.link.request(
          'look',
          { target: args.target, lines: args.lines ?? 50 },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: true },
        );
        return {
          summary: `screen of ${result.target} (${result.state}) at ${result.captured_at}, ${result.lines.length} lines:`,
          lines: result.lines,
          data: result,
        };
      }),
  );

  const raww = mcp.registerTool(
    'raww',
    {
      title: "Type into a teammate's pane",
      description:
        'Type raw text and/or keys into a tmux session, bypassing the readiness checks (answer a ' +
        `prompt, send /compact, press Escape). Answers within ${DEFAULT_TOOL_TIMEOUT_MS / 1000} s.`,
      inputSchema: RawwInput,
      outputSchema: outputSchema(METHODS.raww.result.shape),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) =>
      runTool(context, 'raww', { timeoutMs: DEFAULT_TOOL_TIMEOUT_MS, signal: extra.signal }, async (run) => {
        if (args.text === undefined && (args.keys ?? []).length === 0) {
          throw new AgentmuxError('validation_invalid_params', 'raww needs text, keys, or both', {
            details: { fields: ['text', 'keys'] },
            hint: 'pass text (typed, then Enter) and/or keys such as ["Escape"]',
          });
        }
        // Never retried: after a lost connection the keys may already have been typed.
        const result = await run.acting.link.request(
          'raww',
          {
            target: args.target,
            ...(args.text === undefined ? {} : { text: args.text }),
            ...(args.keys === undefined ? {} : { keys: args.keys }),
            enter: args.enter ?? true,
          },
          { timeoutMs: run.remainingMs(), signal: run.signal, retry: false },
        );
        return { summary: `typed into ${result.target} (${result.status})`, data: result };
      }),
  );
  return { look, raww };
}
