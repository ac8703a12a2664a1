// The SDK answers some tool calls itself, before our handlers run (arguments that fail the input
// schema, unknown or disabled tools), with a bare text error. This transport decorator gives
// those answers our shape — a stable code and hint in text and structuredContent — so every
// isError an agent sees carries a code it can act on.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { AgentmuxError } from '../core/errors.js';
import { errorResult } from './tool-result.js';

/** Our error for an SDK-made tool error text. */
export function sdkToolError(text: string): AgentmuxError {
  const plain = text.replace(/^MCP error -?\d+: /, '');
  const invalid = /^Input validation error: (.*)$/s.exec(plain);
  if (invalid) {
    return new AgentmuxError('validation_invalid_params', invalid[1] ?? plain, {
      hint: "check the arguments against the tool's input schema (tools/list)",
    });
  }
  const disabled = /^Tool (\S+) disabled$/.exec(plain);
  if (disabled) {
    return new AgentmuxError('authorization_forbidden', `tool ${disabled[1] ?? ''} is not available to this session`, {
      details: { tool: disabled[1] },
      hint: 'the policy of this session does not allow it; see policies.toml',
    });
  }
  const missing = /^Tool (\S+) not found$/.exec(plain);
  if (missing) {
    return new AgentmuxError('validation_invalid_params', `there is no tool ${missing[1] ?? ''}`, {
      details: { tool: missing[1] },
      hint: 'call tools/list to see the tools',
    });
  }
  return new AgentmuxError('internal_unexpected_failure', plain);
}

/** Rewrites an uncoded isError tool result (one without structuredContent) into our shape. */
export function codeToolError(message: JSONRPCMessage): JSONRPCMessage {
  if (!('result' in message) || !('id' in message)) return message;
  const result = message.result as { isError?: unknown; structuredContent?: unknown; content?: unknown };
  if (result.isError !== true || result.structuredContent !== undefined || !Array.isArray(result.content)) {
    return message;
  }
  const first = result.content[0] as { type?: unknown; text?: unknown } | undefined;
  const text = first?.type === 'text' && typeof first.text === 'string' ? first.text : 'tool call failed';
  return { ...message, result: errorResult(sdkToolError(text)) };
}

/** Wraps `transport.send` so SDK-made tool errors leave with our code. */
export function withCodedToolErrors<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(codeToolError(message), options);
  return transport;
}
