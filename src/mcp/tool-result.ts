// The two shapes every tool answers with: a result (a summary line plus the data as JSON in
// the text, the same data as structuredContent) or an error (isError, our stable code and hint
// in both). Models read the text; programs read structuredContent.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ERROR_CATALOGUE, type AgentmuxError, type ErrorCode } from '../core/errors.js';

/** What a tool's work produces before the unread count is added. */
export interface ToolOutcome {
  /** One line for the model, e.g. "sent 01J… to bob: queued"; the unread count follows it. */
  summary: string;
  /** Further readable lines (a roster, message bodies), shown before the JSON. */
  lines?: string[];
  data: Record<string, unknown>;
}

/** The error object in structuredContent. */
export const ToolErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  hint: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/**
 * An output schema that also admits the error shape: the SDK client validates
 * structuredContent against it even when isError is set, so every success field is optional.
 */
export function outputSchema<S extends z.ZodRawShape>(shape: S) {
  return z
    .looseObject(shape)
    .partial()
    .extend({
      unread: z.number().int().optional().describe('Messages addressed to me that are still unread'),
      error: ToolErrorSchema.optional().describe('Present (alone) when isError is true'),
    });
}

/** "(3 unread)" — appended to every summary so the agent notices mail. */
export function unreadNote(unread: number): string {
  return `(${unread} unread${unread > 0 ? ': call inbox to read' : ''})`;
}

/** A successful tool result. */
export function okResult(outcome: ToolOutcome, unread: number): CallToolResult {
  const data = { ...outcome.data, unread };
  const text = [`${outcome.summary} ${unreadNote(unread)}`, ...(outcome.lines ?? []), JSON.stringify(data, null, 2)];
  return {
    content: [{ type: 'text', text: text.join('\n') }],
    structuredContent: data,
  };
}

// The catalogue's hints name CLI commands; an agent in MCP acts through tools instead.
const MCP_HINTS: Partial<Record<ErrorCode, string>> = {
  validation_unknown_target: 'call the list tool to see the sessions of your bundle',
  validation_unknown_message: 'call inbox, thread or search to see message ids',
  validation_invalid_params: "check the arguments against the tool's input schema (tools/list)",
  relay_timeout: 'the relay did not answer in time; retry, or check the relay log in the state directory',
};

/** The hint an agent should see: ours for MCP where the catalogue's speaks of CLI commands. */
export function mcpHint(error: AgentmuxError): string {
  const replacement = MCP_HINTS[error.code];
  return replacement !== undefined && error.hint === ERROR_CATALOGUE[error.code] ? replacement : error.hint;
}

/** A failed tool result carrying our code, message, hint and details. */
export function errorResult(error: AgentmuxError): CallToolResult {
  const hint = mcpHint(error);
  const payload = {
    code: error.code,
    message: error.message,
    hint,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
  return {
    content: [{ type: 'text', text: `${error.code}: ${error.message}\nhint: ${hint}` }],
    structuredContent: { error: payload },
    isError: true,
  };
}
