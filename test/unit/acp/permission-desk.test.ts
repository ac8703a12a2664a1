// Permission requests wait for operators; the first decision wins; the default applies on timeout.
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { createUlidFactory } from '../../../src/core/ids.js';
import type { PermissionRequest, PermissionResolution } from '../../../src/core/protocol/index.js';
import { PermissionDesk, type PermissionAsk } from '../../../src/transports/acp/permission-desk.js';
import { ManualClock } from './fakes.js';

const REQUEST: RequestPermissionRequest = {
  sessionId: 's1',
  toolCall: { toolCallId: 'call-1', title: 'Delete build/' },
  options: [
    { optionId: 'always', name: 'Always', kind: 'allow_always' },
    { optionId: 'once', name: 'Once', kind: 'allow_once' },
    { optionId: 'no', name: 'No', kind: 'reject_once' },
  ],
};

function setup() {
  const clock = new ManualClock();
  const requested: PermissionRequest[] = [];
  const resolved: PermissionResolution[] = [];
  const desk = new PermissionDesk({
    clock,
    ids: createUlidFactory(),
    onRequested: (r) => requested.push(r),
    onResolved: (r) => resolved.push(r),
  });
  const ask = (overrides: Partial<PermissionAsk> = {}) =>
    desk.ask({
      session: 'bob',
      request: REQUEST,
      messageId: 'm1',
      timeoutMs: 1000,
      fallback: 'reject',
      signal: new AbortController().signal,
      ...overrides,
    });
  return { clock, desk, requested, resolved, ask };
}

describe('PermissionDesk', () => {
  it('lists a request and approves it with allow_once by default', async () => {
    const { desk, requested, resolved, ask } = setup();
    const answer = ask();
    expect(requested).toHaveLength(1);
    expect(desk.list()).toEqual([
      {
        id: requested[0]?.id,
        session: 'bob',
        title: 'Delete build/',
        options: [
          { id: 'always', name: 'Always', kind: 'allow_always' },
          { id: 'once', name: 'Once', kind: 'allow_once' },
          { id: 'no', name: 'No', kind: 'reject_once' },
        ],
        requested_at: '2026-01-01T00:00:00.000Z',
        expires_at: '2026-01-01T00:00:01.000Z',
        message_id: 'm1',
        tool_call_id: 'call-1',
      },
    ]);
    const id = requested[0]?.id ?? '';
    expect(desk.approve(id, undefined, 'user')).toMatchObject({
      outcome: 'selected',
      option: 'once',
      decided_by: 'user',
    });
    expect(await answer).toEqual({ outcome: { outcome: 'selected', optionId: 'once' } });
    expect(desk.list()).toEqual([]);
    expect(resolved).toHaveLength(1);
    expect(() => desk.deny(id, 'user')).toThrow(/no pending permission request/);
  });

  it('approves a named option, refuses an unknown one, and denies with the reject option', async () => {
    const { desk, requested, ask } = setup();
    const first = ask();
    const second = ask();
    const [a, b] = requested.map((r) => r.id);
    expect(() => desk.approve(a ?? '', 'maybe', 'user')).toThrow(/has no option maybe/);
    desk.approve(a ?? '', 'always', 'user');
    expect(await first).toEqual({ outcome: { outcome: 'selected', optionId: 'always' } });
    desk.deny(b ?? '', 'user');
    expect(await second).toEqual({ outcome: { outcome: 'selected', optionId: 'no' } });
  });

  it('applies permission-default after the timeout; without a matching option it cancels', async () => {
    const { clock, resolved, ask } = setup();
    const rejected = ask();
    const allowed = ask({ fallback: 'allow' });
    const noReject = ask({ request: { ...REQUEST, options: [{ optionId: 'y', name: 'Y', kind: 'allow_once' }] } });
    clock.advance(999);
    expect(resolved).toEqual([]);
    clock.advance(1);
    expect(await rejected).toEqual({ outcome: { outcome: 'selected', optionId: 'no' } });
    expect(await allowed).toEqual({ outcome: { outcome: 'selected', optionId: 'once' } });
    expect(await noReject).toEqual({ outcome: { outcome: 'cancelled' } });
    expect(resolved.map((r) => r.decided_by)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('cancels when the agent withdraws, the session ends, or the relay stops', async () => {
    const { desk, resolved, ask } = setup();
    const abort = new AbortController();
    const withdrawn = ask({ signal: abort.signal });
    abort.abort();
    expect(await withdrawn).toEqual({ outcome: { outcome: 'cancelled' } });
    const ended = ask();
    const other = ask({ session: 'carol' });
    desk.cancelSession('bob');
    expect(await ended).toEqual({ outcome: { outcome: 'cancelled' } });
    expect(desk.list().map((r) => r.session)).toEqual(['carol']);
    desk.close();
    expect(await other).toEqual({ outcome: { outcome: 'cancelled' } });
    expect(resolved.map((r) => [r.outcome, r.decided_by])).toEqual([
      ['cancelled', 'relay'],
      ['cancelled', 'relay'],
      ['cancelled', 'relay'],
    ]);
  });
});
