// The dashboard's one relay hook: a reducer fed by the connection loop, plus the actions.
import { useEffect, useReducer, useRef } from 'react';
import { AgentmuxError } from '../../core/errors.js';
import type { RelaySource } from '../link/connection.js';
import { RelayFeed } from '../link/relay-feed.js';
import type { RelayActions } from '../link/relay-link.js';
import { relayReducer, type RelayState } from '../state/relay-state.js';

export interface UseRelayOptions {
  /** Where connections come from; ignored when `feed` is given. */
  source?: RelaySource;
  /** A link started before the UI loaded (runTui): its state so far is the first render's. */
  feed?: RelayFeed;
  bundle: string;
  /** The operator session the dashboard speaks as. */
  self: string;
  historyLimit?: number;
  capacity?: number;
  flushMs?: number;
  retryMs?: { first: number; max: number };
}

/** Connects on mount (unless the feed already does), reconnects until unmount, and keeps RelayState current. */
export function useRelay(options: UseRelayOptions): { state: RelayState; actions: RelayActions } {
  const feed = useRef<RelayFeed | null>(null);
  feed.current ??= options.feed ?? createFeed(options);
  const [state, dispatch] = useReducer(relayReducer, feed.current, (current) => current.snapshot());
  useEffect(() => {
    const current = feed.current;
    current?.attach(dispatch);
    current?.start();
    return () => current?.stop();
  }, []);
  return { state, actions: feed.current.actions };
}

function createFeed(options: UseRelayOptions): RelayFeed {
  if (options.source === undefined) {
    throw new AgentmuxError('internal_unexpected_failure', 'useRelay was given neither a source nor a feed');
  }
  return new RelayFeed({
    source: options.source,
    bundle: options.bundle,
    self: options.self,
    ...(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit }),
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
    ...(options.flushMs === undefined ? {} : { flushMs: options.flushMs }),
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
  });
}
