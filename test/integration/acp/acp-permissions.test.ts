// ACP permission requests reach operators instead of being cancelled: listed by
// `agentmux permissions`, answered by `agentmux approve` / `agentmux deny`, announced to event
// subscribers, decided by permission-default after permission-timeout-ms, and the turn timeout
// waits while an operator thinks.
import { afterEach, describe, expect, it } from 'vitest';
import type { PermissionListResult, PermissionRequest } from '../../../src/core/protocol/index.js';
import { waitFor } from '../../helpers/client.js';
import { startAcpTeam, type AcpHarness } from './harness.js';

let harness: AcpHarness | undefined;

afterEach(async () => {
  const current = harness;
  harness = undefined;
  await current?.stop();
});

async function pending(h: AcpHarness): Promise<PermissionRequest[]> {
  const listed = await h.cli(['permissions', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as PermissionListResult).permissions;
}

async function firstPending(h: AcpHarness): Promise<PermissionRequest> {
  let found: PermissionRequest | undefined;
  await waitFor(
    async () => {
      found = (await pending(h))[0];
      return found !== undefined;
    },
    20_000,
    'a pending permission request',
  );
  return found as PermissionRequest;
}

describe('ACP permissions', () => {
  it('are approved and denied from the CLI, and the turn timeout waits meanwhile', async () => {
    const h = (harness = await startAcpTeam([{ id: 'bob', turnTimeoutMs: 1500 }]));
    const user = await h.client();
    const watcher = await h.client();
    const events: { method: string; params: Record<string, unknown> }[] = [];
    watcher.onAny((method, params) => {
      if (method.startsWith('permission.')) events.push({ method, params: params as Record<string, unknown> });
    });
    await watcher.request('subscribe', { events: true });

    const approved = h.send(user, ['bob'], 'may I? #permission', 30_000);
    const request = await firstPending(h);
    expect(request).toMatchObject({
      session: 'bob',
      title: 'Write config.json',
      options: [
        { id: 'allow', name: 'Allow this change', kind: 'allow_once' },
        { id: 'reject', name: 'Skip this change', kind: 'reject_once' },
      ],
      tool_call_id: 'p1',
    });
    const list = await h.cli(['list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({
      sessions: [{ id: 'bob', state: 'waiting_input', reason: 'permission requested' }, { id: 'user' }],
    });
    const text = await h.cli(['permissions']);
    expect(text.stdout).toContain(`${request.id}  bob  Write config.json`);
    // Longer than turn-timeout-ms: the clock is paused while the operator decides.
    await new Promise((r) => setTimeout(r, 2500));
    const approve = await h.cli(['approve', request.id]);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout.trim()).toBe(`approved ${request.id} (bob): allow`);
    expect((await approved).results).toEqual([{ target: 'bob', outcome: 'delivered' }]);

    const denied = h.send(user, ['bob'], 'and now? #permission', 30_000);
    const second = await firstPending(h);
    expect(second.id).not.toBe(request.id);
    const deny = await h.cli(['deny', second.id, '--json']);
    expect(deny.code, deny.stderr).toBe(0);
    expect(JSON.parse(deny.stdout)).toMatchObject({
      id: second.id,
      outcome: 'selected',
      option: 'reject',
      decided_by: 'user',
    });
    expect((await denied).results).toEqual([{ target: 'bob', outcome: 'delivered' }]);

    expect((await h.inbox(user)).map((m) => m.body)).toEqual(['permission: allow', 'permission: reject']);
    expect(await pending(h)).toEqual([]);
    const again = await h.cli(['approve', request.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('validation_unknown_permission');
    await waitFor(() => events.length === 4, 5000, 'permission notifications');
    expect(events.map((e) => [e.method, e.params.id])).toEqual([
      ['permission.requested', request.id],
      ['permission.resolved', request.id],
      ['permission.requested', second.id],
      ['permission.resolved', second.id],
    ]);
    expect(events[1]?.params).toMatchObject({ option: 'allow', decided_by: 'user' });
  }, 90_000);

  it('only operators may answer; an unknown option is refused; the default applies after the timeout', async () => {
    const h = (harness = await startAcpTeam([
      { id: 'bob' },
      { id: 'carol', permissionTimeoutMs: 400 },
      { id: 'dave', permissionTimeoutMs: 400, permissionDefault: 'allow' },
    ]));
    const user = await h.client();
    const asked = h.send(user, ['bob'], 'ask #permission', 30_000);
    const request = await firstPending(h);
    const byAgent = await h.cli(['approve', request.id], { as: 'carol' });
    expect(byAgent.code).toBe(1);
    expect(byAgent.stderr).toContain('authorization_forbidden');
    const listByAgent = await h.cli(['permissions'], { as: 'carol' });
    expect(listByAgent.stderr).toContain('authorization_forbidden');
    const wrong = await h.cli(['approve', request.id, '--option', 'maybe']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('has no option maybe');
    const chosen = await h.cli(['approve', request.id, '--option', 'reject']);
    expect(chosen.stdout.trim()).toBe(`approved ${request.id} (bob): reject`);
    await asked;

    const [rejected, allowed] = await Promise.all([
      h.send(user, ['carol'], 'nobody answers #permission', 30_000),
      h.send(user, ['dave'], 'nobody answers #permission', 30_000),
    ]);
    expect([rejected.results, allowed.results]).toEqual([
      [{ target: 'carol', outcome: 'delivered' }],
      [{ target: 'dave', outcome: 'delivered' }],
    ]);
    const bodies = (await h.inbox(user)).map((m) => `${m.from}: ${m.body}`);
    expect(bodies.sort()).toEqual(['bob: permission: reject', 'carol: permission: reject', 'dave: permission: allow']);
  }, 90_000);
});
