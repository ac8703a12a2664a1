// SDK-made tool errors get our code and hint; our own results pass through untouched.
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { codeToolError, sdkToolError } from '../../../src/mcp/coded-errors.js';
import { errorResult, okResult } from '../../../src/mcp/tool-result.js';

const response = (result: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: '2.0', id: 7, result });

describe('sdkToolError', () => {
  it('maps input validation, disabled and unknown tools to stable codes', () => {
    const invalid = sdkToolError(
      'MCP error -32602: Input validation error: Invalid arguments for tool send: Too small: expected string to have >=1 characters at body',
    );
    expect(invalid.code).toBe('validation_invalid_params');
    expect(invalid.message).toBe(
      'Invalid arguments for tool send: Too small: expected string to have >=1 characters at body',
    );
    expect(sdkToolError('MCP error -32602: Tool raww disabled')).toMatchObject({
      code: 'authorization_forbidden',
      details: { tool: 'raww' },
    });
    expect(sdkToolError('MCP error -32602: Tool nope not found')).toMatchObject({
      code: 'validation_invalid_params',
      hint: 'call tools/list to see the tools',
    });
    expect(sdkToolError('something else').code).toBe('internal_unexpected_failure');
  });
});

describe('codeToolError', () => {
  it('rewrites an uncoded isError result into our shape', () => {
    const out = codeToolError(
      response({ content: [{ type: 'text', text: 'MCP error -32602: Tool raww disabled' }], isError: true }),
    ) as unknown as {
      id: number;
      result: { isError: boolean; structuredContent: { error: { code: string } }; content: { text: string }[] };
    };
    expect(out.id).toBe(7);
    expect(out.result.isError).toBe(true);
    expect(out.result.structuredContent.error.code).toBe('authorization_forbidden');
    expect(out.result.content[0]?.text).toMatch(/^authorization_forbidden: tool raww is not available/);
  });

  it('leaves our own results, successes and non-results alone', () => {
    const ours = response(errorResult(new AgentmuxError('relay_timeout', 'slow')));
    expect(codeToolError(ours)).toBe(ours);
    const ok = response(okResult({ summary: 'fine', data: { a: 1 } }, 0));
    expect(codeToolError(ok)).toBe(ok);
    const notification = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' } as JSONRPCMessage;
    expect(codeToolError(notification)).toBe(notification);
  });
});

describe('tool results', () => {
  it('puts the unread count on the first line and the data in both text and structuredContent', () => {
    const result = okResult({ summary: 'sent X', lines: ['- detail'], data: { message_id: 'X' } }, 3);
    const text = (result.content[0] as { text: string }).text;
    expect(text.split('\n').slice(0, 2)).toEqual(['sent X (3 unread: call inbox to read)', '- detail']);
    expect(JSON.parse(text.split('\n').slice(2).join('\n'))).toEqual({ message_id: 'X', unread: 3 });
    expect(result.structuredContent).toEqual({ message_id: 'X', unread: 3 });
  });

  it('gives MCP hints for codes whose catalogue hint names CLI commands, keeping specific hints', () => {
    const generic = errorResult(new AgentmuxError('validation_unknown_target', 'unknown target session: zed'));
    expect(generic.structuredContent).toEqual({
      error: {
        code: 'validation_unknown_target',
        message: 'unknown target session: zed',
        hint: 'call the list tool to see the sessions of your bundle',
      },
    });
    const specific = errorResult(new AgentmuxError('validation_unknown_target', 'x', { hint: 'ask carol' }));
    expect((specific.structuredContent as { error: { hint: string } }).error.hint).toBe('ask carol');
  });
});
