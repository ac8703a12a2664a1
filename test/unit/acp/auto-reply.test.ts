// Auto-replies answer the sender, and a reply to an auto-reply ends the chain.
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, type Message } from '../../../src/core/protocol/index.js';
import { autoReplyFor, isAutoReply, mayPrompt } from '../../../src/transports/acp/auto-reply.js';

const message = (fields: Partial<Message> = {}): Message => ({
  id: 'M1',
  seq: 1,
  bundle: 'b',
  from: 'user',
  to: ['bob'],
  cc: [],
  subject: null,
  body: 'hi',
  reply_to: null,
  thread: 'M1',
  request_id: null,
  created_at: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('auto-replies', () => {
  it('answer the sender with Re: subject and a marking request id', () => {
    const reply = autoReplyFor(message({ subject: 'plan' }), '  the answer\n');
    expect(reply).toEqual({
      to: ['user'],
      subject: 'Re: plan',
      body: 'the answer',
      reply_to: 'M1',
      request_id: 'acp-reply:M1',
    });
    expect(autoReplyFor(message({ subject: 'RE: plan' }), 'x')?.subject).toBe('RE: plan');
    expect(autoReplyFor(message(), ' \n ')).toBeUndefined();
    expect(autoReplyFor(message(), 'a\u0000b\ud800')?.body).toBe('ab\ufffd');
  });

  it('mark a reply to an auto-reply as the end of the chain, which is never prompted', () => {
    const first = autoReplyFor(message(), 'one');
    const prompted = message({ id: 'M2', from: 'alpha', request_id: first?.request_id ?? null });
    expect(isAutoReply(prompted)).toBe(true);
    expect(mayPrompt(prompted)).toBe(true);
    const second = autoReplyFor(prompted, 'two');
    expect(second?.request_id).toBe('acp-reply-end:M2');
    const ending = message({ request_id: second?.request_id ?? null });
    expect(isAutoReply(ending)).toBe(true);
    expect(mayPrompt(ending)).toBe(false);
    expect(mayPrompt(message({ request_id: 'a-uuid-from-the-cli' }))).toBe(true);
  });

  it('cut an answer over the body limit', () => {
    const body = autoReplyFor(message(), 'é'.repeat(MAX_BODY_BYTES))?.body ?? '';
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(body.endsWith('[… answer truncated by agentmux]')).toBe(true);
  });
});
