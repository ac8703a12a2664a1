// What the relay gives the tmux transport, and what the transport reports back.
import type { Team } from '../../config/index.js';
import type { Clock } from '../../core/clock.js';
import type { SessionState } from '../../core/protocol/index.js';
import type { BundlePaths } from '../../runtime/index.js';
import type { HookView } from './pane-delivery.js';

/** What the transport reports about a session. */
export interface PaneStatus {
  state: SessionState;
  reason: string | null;
  attached: boolean;
}

/** The transport's collaborators, passed in by the relay. */
export interface TmuxTransportOptions {
  team: Team;
  paths: BundlePaths;
  roots: { configDir: string; stateDir: string };
  /** AGENTMUX_COMMAND for panes: the absolute path of the agentmux entry point. */
  entryPoint: string;
  /** AGENTMUX_TOKEN for a pane: proves its session to the relay (goes into the 0600 env file). */
  credentialFor?: (session: string) => string;
  clock: Clock;
  /** The conversation id an agent last reported (for resume-command). */
  conversationId: (session: string) => string | undefined;
  onStatus: (session: string, status: PaneStatus) => void;
  /** A session became reachable or ready; the router should try its queue. */
  onReachable: (session: string) => void;
  warn: (event: string, details: Record<string, unknown>) => void;
  /** The status poll's interval and a waiting delivery's safety re-look; default STATUS_POLL_MS. */
  safetyPollMs?: number;
  /** The agents' own hook reports (DESIGN "Agent state from hooks first"). */
  hooks?: {
    state(session: string): HookView | undefined;
    onPromptSubmitted(listener: (session: string, prompt: string) => void): () => void;
    /** A session's state changed (e.g. a hook reported idle): a waiting delivery looks again. */
    onStateChange?(listener: (session: string) => void): () => void;
  };
}
