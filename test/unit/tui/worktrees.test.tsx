// The dashboard shows each worktree agent's changed-file count in its row and, for the selected
// one, its branch and diff stat (from a probe; git itself is covered by the integration tests).
import { describe, expect, it } from 'vitest';
import { SessionsPanel } from '../../../src/tui/components/SessionsPanel.js';
import { WorktreeProbeContext, type WorktreeProbe } from '../../../src/tui/worktree-context.js';
import type { WorktreeSummary } from '../../../src/workspace/index.js';
import { relayState, session } from './fixtures.js';
import { linesOf, renderWith } from './render.js';

describe('SessionsPanel with worktrees', () => {
  it('shows ±changed files per agent and the selected agent’s branch and diff stat', async () => {
    const summaries = new Map<string, WorktreeSummary>([
      [
        'alice',
        { branch: 'agentmux/alice', changed: 3, shortstat: '3 files changed, 10 insertions(+), 2 deletions(-)' },
      ],
      ['bob', { branch: 'agentmux/bob', changed: 0, shortstat: '' }],
    ]);
    let probed = 0;
    const probe: WorktreeProbe = () => {
      probed += 1;
      return Promise.resolve(summaries);
    };
    const state = relayState({ sessions: [session('alice'), session('bob')] });
    const result = renderWith(
      <WorktreeProbeContext.Provider value={probe}>
        <SessionsPanel width={70} height={8} focused selected="alice" />
      </WorktreeProbeContext.Provider>,
      state,
    );
    try {
      for (let i = 0; i < 100 && !(result.lastFrame() ?? '').includes('±3'); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const text = linesOf(result.lastFrame()).join('\n');
      expect(probed).toBeGreaterThan(0);
      expect(text).toMatch(/alice\s+ready ±3/);
      expect(text).toMatch(/bob\s+ready\s/);
      expect(text).not.toContain('±0');
      expect(text).toContain('agentmux/alice · 3 files changed, 10 insertions(+), 2 deletions(-)');
    } finally {
      result.unmount();
    }
  });

  it('shows no branch without a probe (a bundle without worktrees)', () => {
    const result = renderWith(
      <SessionsPanel width={70} height={8} focused selected="alice" />,
      relayState({ sessions: [session('alice')] }),
    );
    try {
      expect(result.lastFrame()).not.toContain('agentmux/');
    } finally {
      result.unmount();
    }
  });
});
