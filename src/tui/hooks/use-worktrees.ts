// Polls the worktree probe while the dashboard is open.
import { useContext, useEffect, useState } from 'react';
import type { WorktreeSummary } from '../../workspace/index.js';
import { WorktreeProbeContext } from '../worktree-context.js';

/** How often the branches and changes are read again (git runs in this process). */
export const WORKTREE_REFRESH_MS = 5000;

/** The latest worktree summaries (empty without a probe). */
export function useWorktrees(): ReadonlyMap<string, WorktreeSummary> {
  const probe = useContext(WorktreeProbeContext);
  const [summaries, setSummaries] = useState<ReadonlyMap<string, WorktreeSummary>>(new Map());
  useEffect(() => {
    if (probe === null) return undefined;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = (): void => {
      probe()
        .then(
          (next) => {
            if (!closed) setSummaries(next);
          },
          () => undefined,
        )
        .finally(() => {
          if (!closed) timer = setTimeout(poll, WORKTREE_REFRESH_MS);
        });
    };
    poll();
    return () => {
      closed = true;
      clearTimeout(timer);
    };
  }, [probe]);
  return summaries;
}
