// `agentmux hook` arguments: which positional is the event and which the payload, and
// payloads cut short by the 1 MiB stdin bound.
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, parsePayload, splitHookArguments } from '../../../src/hooks/invocation.js';

describe('splitHookArguments', () => {
  it('takes the last positional as the payload when it is a JSON object (Codex notify)', () => {
    const json = '{"type":"agent-turn-complete","thread-id":"t1"}';
    expect(splitHookArguments([json])).toEqual({ payloadText: json });
    expect(splitHookArguments(['Stop', json])).toEqual({ event: 'Stop', payloadText: json });
  });

  it('reads only an event when the last positional is not JSON (payload comes on stdin)', () => {
    expect(splitHookArguments(['Stop'])).toEqual({ event: 'Stop' });
    expect(splitHookArguments([])).toEqual({});
    expect(splitHookArguments(['[1,2]'])).toEqual({});
    expect(splitHookArguments(['{not json'])).toEqual({});
  });
});

describe('parsePayload', () => {
  it('parses a whole JSON object and rejects other JSON values', () => {
    expect(parsePayload('{"session_id":"abc","hook_event_name":"Stop"}')).toEqual({
      session_id: 'abc',
      hook_event_name: 'Stop',
    });
    expect(parsePayload('[1]')).toBeUndefined();
    expect(parsePayload('')).toBeUndefined();
    expect(parsePayload(undefined)).toBeUndefined();
  });

  it('salvages the small leading fields of a payload cut at the read bound', () => {
    const whole = JSON.stringify({
      session_id: 'sess-1',
      transcript_path: '/t.jsonl',
      hook_event_name: 'PostToolUse',
      tool_response: { stdout: 'x'.repeat(MAX_PAYLOAD_BYTES) },
    });
    const cut = whole.slice(0, MAX_PAYLOAD_BYTES);
    expect(parsePayload(cut)).toEqual({ session_id: 'sess-1', hook_event_name: 'PostToolUse' });
    expect(parsePayload('garbage')).toBeUndefined();
  });
});
