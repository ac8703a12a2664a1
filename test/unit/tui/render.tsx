// Renders dashboard components with a fixed RelayState and fake actions (ink-testing-library).
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { RelayActionsContext, RelayStateContext } from '../../../src/tui/context.js';
import type { RelayActions } from '../../../src/tui/link/relay-link.js';
import type { RelayState } from '../../../src/tui/state/relay-state.js';
import { relayState } from './fixtures.js';

/** Actions that record their calls and answer with `answers` (or reject). */
export function fakeActions(
  answers: Partial<RelayActions> = {},
): RelayActions & { calls: { name: string; args: unknown[] }[] } {
  const calls: { name: string; args: unknown[] }[] = [];
  const record =
    <K extends keyof RelayActions>(name: K) =>
    (...args: unknown[]): Promise<never> => {
      calls.push({ name, args });
      const answer = answers[name] as ((...a: unknown[]) => Promise<never>) | undefined;
      return answer ? answer(...args) : Promise.reject(new Error(`${name} not scripted`));
    };
  return {
    calls,
    send: record('send'),
    look: record('look'),
    search: record('search'),
    thread: record('thread'),
    approve: record('approve'),
    deny: record('deny'),
  };
}

/** Renders `element` inside both contexts. */
export function renderWith(
  element: ReactElement,
  state: RelayState = relayState(),
  actions: RelayActions = fakeActions(),
) {
  return render(
    <RelayActionsContext.Provider value={actions}>
      <RelayStateContext.Provider value={state}>{element}</RelayStateContext.Provider>
    </RelayActionsContext.Provider>,
  );
}

/** The last frame as lines (no trailing newline). */
export function linesOf(frame: string | undefined): string[] {
  return (frame ?? '').replace(/\n$/, '').split('\n');
}
