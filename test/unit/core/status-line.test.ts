import { describe, expect, it } from 'vitest';
import { tmuxStatus, type StatusReport } from '../../../src/cli/commands/status.js';
import type { StatusSnapshot } from '../../../src/core/protocol/index.js';
import { formatStatusLine } from '../../../src/core/status-line.js';

const snapshot: StatusSnapshot = {
  bundle: 'crew',
  updated_at: '2026-01-02T03:04:05.000Z',
  relay: { state: 'running', pid: 7 },
  sessions: [
    { id: 'alice', state: 'idle', queued: 0, unread: 0, attached: false },
    { id: 'bob', state: 'busy', queued: 0, unread: 0, attached: false, host: 'gpu', reachable: true },
    { id: 'carol', state: 'offline', queued: 2, unread: 0, attached: false, host: 'build', reachable: false },
  ],
  needs_operator: [],
};

describe('status line with sessions on other hosts', () => {
  it('names their host and says when that host is offline', () => {
    expect(formatStatusLine(snapshot)).toBe('crew: alice ready · bob@gpu busy · carol@build host offline (2 queued)');
  });

  it('shows the same in the tmux format, the offline host greyed', () => {
    const report: StatusReport = { bundle: 'crew', running: true, line: '', snapshot };
    expect(tmuxStatus(report)).toBe(
      '#[fg=colour244]crew#[default] #[fg=green]alice#[default] #[fg=yellow]bob@gpu*#[default] ' +
        '#[fg=colour244]carol@build offline+2#[default]',
    );
  });
});
