// The directory an agent starts in: its configured directory, or its worktree (created on
// first use, with our hooks installed there, since Claude and Gemini read them per directory).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import type { AgentSessionConfig, BundleConfig, HookClient } from '../config/index.js';
import { installHooks } from '../hooks/index.js';
import { worktreePlan } from './worktree-plan.js';
import { ensureWorktree } from './worktrees.js';

/** What `prepareWorkdir` needs to know about the agent. */
export interface WorkdirInput {
  bundle: BundleConfig;
  session: AgentSessionConfig;
  stateDir: string;
  /** The coder's hook client: its hooks are installed into a new worktree. */
  hooks?: HookClient | undefined;
  /** The agentmux entry point written into hook commands. */
  entryPoint?: string | undefined;
}

/** The agent's start directory; creates its worktree when `worktree = true`. */
export async function prepareWorkdir(input: WorkdirInput): Promise<string> {
  const plan = worktreePlan(input.bundle, input.session, input.stateDir);
  if (plan === undefined) return input.session.directory;
  const prepared = await ensureWorktree(plan);
  if (input.hooks === 'claude' || input.hooks === 'gemini') {
    const codexHome = process.env.CODEX_HOME?.trim() ? resolve(process.env.CODEX_HOME) : join(homedir(), '.codex');
    installHooks({ client: input.hooks, dir: prepared.workdir, codexHome, fallbackEntry: input.entryPoint });
  }
  return prepared.workdir;
}
