// Protocol schemas: frames, strict params (no spoofed sender), loose results.
import { describe, expect, it } from 'vitest';
import {
  METHODS,
  RequestFrameSchema,
  ResponseFrameSchema,
  SendParamsSchema,
  isMethodName,
} from '../../../src/core/protocol/index.js';

describe('RequestFrameSchema', () => {
  it('accepts requests and notifications, and rejects anything that is not JSON-RPC 2.0', () => {
    expect(RequestFrameSchema.safeParse({ jsonrpc: '2.0', id: 1, method: 'list' }).success).toBe(true);
    expect(RequestFrameSchema.safeParse({ jsonrpc: '2.0', method: 'ping' }).success).toBe(true);
    for (const bad of [
      null,
      42,
      'text',
      [],
      [{ jsonrpc: '2.0', id: 1, method: 'list' }],
      {},
      { jsonrpc: '1.0', id: 1, method: 'list' },
      { jsonrpc: '2.0', id: 1 },
      { jsonrpc: '2.0', id: 1, method: '' },
      { jsonrpc: '2.0', id: { nested: true }, method: 'list' },
      { jsonrpc: '2.0', id: 1.5, method: 'list' },
      { jsonrpc: '2.0', id: 'x'.repeat(129), method: 'list' },
      { jsonrpc: '2.0', id: 1, method: 'm'.repeat(65) },
    ]) {
      expect(RequestFrameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('ResponseFrameSchema', () => {
  it('accepts a result or an error with our data', () => {
    expect(ResponseFrameSchema.safeParse({ jsonrpc: '2.0', id: 1, result: { ok: true } }).success).toBe(true);
    const error = {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'bad', data: { code: 'validation_invalid_frame', extra: 1 } },
    };
    expect(ResponseFrameSchema.safeParse(error).success).toBe(true);
  });
});

describe('SendParamsSchema', () => {
  it('accepts a minimal send and defaults `to` to an empty list', () => {
    expect(SendParamsSchema.parse({ body: 'hi' })).toEqual({ to: [], body: 'hi' });
  });

  it('refuses any sender field, so identity cannot be claimed per request', () => {
    for (const field of ['from', 'sender', 'sender_session', 'session']) {
      const parsed = SendParamsSchema.safeParse({ to: ['bob'], body: 'hi', [field]: 'mallory' });
      expect(parsed.success, field).toBe(false);
      expect(parsed.error?.issues[0]?.code).toBe('unrecognized_keys');
    }
  });

  it('bounds wait_ms and the recipient list', () => {
    expect(SendParamsSchema.safeParse({ to: ['b'], body: 'x', wait_ms: -1 }).success).toBe(false);
    expect(SendParamsSchema.safeParse({ to: ['b'], body: 'x', wait_ms: 600_001 }).success).toBe(false);
    expect(SendParamsSchema.safeParse({ to: Array(257).fill('b'), body: 'x' }).success).toBe(false);
  });
});

describe('METHODS', () => {
  it('knows its methods and nothing inherited from Object', () => {
    expect(isMethodName('send')).toBe(true);
    expect(isMethodName('inbox.fetch')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('keeps results loose so newer relays may add fields', () => {
    const parsed = METHODS['inbox.ack'].result.parse({ acked: [], unknown: [], unread: 0, future: 'x' });
    expect(parsed).toMatchObject({ future: 'x' });
  });

  it('keeps hello strict', () => {
    const hello = { protocol: 1, bundle: 'b', session: 's', role: 'agent', client: { name: 'n', version: '1' } };
    expect(METHODS.hello.params.safeParse(hello).success).toBe(true);
    expect(METHODS.hello.params.safeParse({ ...hello, uid: 0 }).success).toBe(false);
    expect(METHODS.hello.params.safeParse({ ...hello, protocol: 2 }).success).toBe(false);
  });
});
