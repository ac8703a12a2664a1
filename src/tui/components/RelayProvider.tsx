// Runs useRelay once and hands its state and actions to the tree through the two contexts.
import type { ReactNode } from 'react';
import { RelayActionsContext, RelayStateContext } from '../context.js';
import { useRelay, type UseRelayOptions } from '../hooks/use-relay.js';

export interface RelayProviderProps extends UseRelayOptions {
  readonly children: ReactNode;
}

/** Connects to the relay for its children (or takes over a feed already connecting). */
export function RelayProvider({ children, ...options }: RelayProviderProps): ReactNode {
  const { state, actions } = useRelay(options);
  return (
    <RelayActionsContext.Provider value={actions}>
      <RelayStateContext.Provider value={state}>{children}</RelayStateContext.Provider>
    </RelayActionsContext.Provider>
  );
}
