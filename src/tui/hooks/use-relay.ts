// The dashboard's one relay hook: a reducer fed by the connection loop, plus the actions.
import { useEffect, useReducer, useRef } from 'react';
import type { RelaySource } from '../link/connection.js';
import { RelayLink, type RelayActions } from '../link/relay-link.js';
import { initialRelayState, relayReducer, type RelayState } from '../state/relay-state.js';

export interface UseRelayOptions {
  source: RelaySource;
  bundle: string;
  /** The operator session the dashboard speaks as. */
  self: string;
  historyLimit?: number;
  capacity?: number;
  flushMs?: number;
  retryMs?: { first: number; max: number };
}

/** Connects on mount, reconnects until unmount, and keeps RelayState current. */
export function useRelay(options: UseRelayOptions): { state: RelayState; actions: RelayActions } {
  const [state, dispatch] = useReducer(relayReducer, options, initialRelayState);
  const link = useRef<{ link: RelayLink; actions: RelayActions } | null>(null);
  if (link.current === null) {
    const created = new RelayLink({
      source: options.source,
      dispatch,
      ...(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit }),
      ...(options.flushMs === undefined ? {} : { flushMs: options.flushMs }),
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    });
    link.current = { link: created, actions: created.actions() };
  }
  useEffect(() => {
    const current = link.current?.link;
    current?.start();
    return () => current?.stop();
  }, []);
  return { state, actions: link.current.actions };
}
