// Where the dashboard reads agent worktrees from: a probe run in this process (git, never the
// relay). Absent in tests and for bundles without worktrees.
import { createContext } from 'react';
import type { WorktreeSummary } from '../workspace/index.js';

/** Reads the summaries of the bundle's agent worktrees, by session id. */
export type WorktreeProbe = () => Promise<Map<string, WorktreeSummary>>;

/** Provided by runTui when the bundle has worktree sessions. */
export const WorktreeProbeContext = createContext<WorktreeProbe | null>(null);
