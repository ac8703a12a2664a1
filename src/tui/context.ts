// Two small contexts: what the dashboard knows (state) and what it can do (actions). Each hook
// throws outside its provider, so a component used in the wrong place fails loudly in tests.
import { createContext, useContext } from 'react';
import { AgentmuxError } from '../core/errors.js';
import type { RelayActions } from './link/relay-link.js';
import type { RelayState } from './state/relay-state.js';

/** Provided by RelayProvider (tests may provide a fixed state). */
export const RelayStateContext = createContext<RelayState | null>(null);
/** Provided by RelayProvider (tests may provide fakes). */
export const RelayActionsContext = createContext<RelayActions | null>(null);

/** The current RelayState; throws outside a provider. */
export function useRelayState(): RelayState {
  const state = useContext(RelayStateContext);
  if (state === null) throw outside('useRelayState');
  return state;
}

/** The relay actions; throws outside a provider. */
export function useRelayActions(): RelayActions {
  const actions = useContext(RelayActionsContext);
  if (actions === null) throw outside('useRelayActions');
  return actions;
}

function outside(hook: string): AgentmuxError {
  return new AgentmuxError('internal_unexpected_failure', `${hook} was called outside <RelayProvider>`);
}
