// Adding and removing agents from the dashboard (`n`, `x` on the sessions panel). The work is
// the CLI's `agentmux add` / `agentmux rm` (bundle file edit, relay reload, agent start/stop),
// handed in by the command that starts the dashboard, so the logic lives in one place.
import { createContext } from 'react';

/** What an add or remove did, for the dashboard's notice. */
export interface AgentChangeSummary {
  readonly session: string;
  /** The relay's outcome for the agent (created, stopped…), when it was asked. */
  readonly outcome?: string | undefined;
  readonly reason?: string | undefined;
  readonly notes: readonly string[];
}

/** Changes the running team; absent when the dashboard runs without a bundle file to edit. */
export interface AgentManager {
  /** The coders of coders.toml, in file order. */
  coders(): readonly string[];
  /** Adds a `[[sessions]]` block for `session` and starts it. */
  add(session: string, coder: string): Promise<AgentChangeSummary>;
  /** Stops `session` and removes it from the bundle file and the running relay. */
  remove(session: string): Promise<AgentChangeSummary>;
}

/** Provided by runTui when it was given a manager. */
export const AgentManagerContext = createContext<AgentManager | null>(null);
