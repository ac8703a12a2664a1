import { describe, expect, it } from 'vitest';
import { optionFor, readPermissionList, readPermissionRequest } from '../../../src/tui/state/permissions.js';

describe('permission requests', () => {
  const wire = {
    id: 'P7',
    session: 'coder',
    title: 'Edit src/main.ts',
    options: [
      { id: 'always', name: 'Always allow', kind: 'allow_always' },
      { id: 'once', name: 'Allow once', kind: 'allow_once' },
      { id: 'no', name: 'Reject', kind: 'reject_once' },
    ],
    requested_at: '2026-01-01T00:00:00.000Z',
  };

  it('reads the relay’s request and list shapes', () => {
    expect(readPermissionRequest(wire)).toMatchObject({
      id: 'P7',
      session: 'coder',
      title: 'Edit src/main.ts',
      createdAt: wire.requested_at,
    });
    expect(readPermissionList({ permissions: [wire, { nonsense: true }] }).map((r) => r.id)).toEqual(['P7']);
    expect(readPermissionList([wire])).toHaveLength(1);
    expect(readPermissionList('no')).toEqual([]);
  });

  it('prefers allow_once to approve and reject_once to deny', () => {
    const request = readPermissionRequest(wire);
    expect(request && optionFor(request, 'approve')).toBe('once');
    expect(request && optionFor(request, 'deny')).toBe('no');
  });

  it('refuses entries without an id or a session', () => {
    expect(readPermissionRequest({ id: 'x' })).toBeUndefined();
    expect(readPermissionRequest(null)).toBeUndefined();
  });
});
