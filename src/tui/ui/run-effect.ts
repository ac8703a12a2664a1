// Runs the effect an intent returned and folds the relay's answer back into the UI state.
import { toAgentmuxError } from '../../core/errors.js';
import type { HistoryMessage, SendResult } from '../../core/protocol/index.js';
import type { AgentChangeSummary, AgentManager } from '../agent-manager.js';
import type { RelayActions } from '../link/relay-link.js';
import { withNotice } from './reduce-intent.js';
import { shortId } from './format.js';
import { EMPTY_FIELD } from './text-field.js';
import type { Effect, UiState } from './ui-state.js';

/** What running an effect may touch. */
export interface EffectHost {
  readonly actions: RelayActions;
  /** Applies a change to the latest UI state. */
  readonly update: (change: (ui: UiState) => UiState) => void;
  readonly exit: () => void;
  /** Opens an agent's pane full screen (absent without a terminal or a tmux server). */
  readonly open?: (session: string) => void;
  /** Adds and removes agents (absent: the dashboard cannot). */
  readonly agents?: AgentManager | undefined;
}

/** Starts the effect; its answer arrives later through `host.update`. */
export function runEffect(effect: Effect, host: EffectHost): void {
  const failed = (error: unknown): void =>
    host.update((ui) => ({ ...withNotice(ui, errorText(error), 'error'), sending: false }));
  switch (effect.type) {
    case 'send':
      host.actions.send(effect.params).then((result) => host.update((ui) => sent(ui, effect, result)), failed);
      return;
    case 'load-thread':
      host.actions.thread(effect.id).then(
        (result) => host.update((ui) => threadLoaded(ui, effect.id, result.messages, null)),
        (error: unknown) => host.update((ui) => threadLoaded(ui, effect.id, null, errorText(error))),
      );
      return;
    case 'search':
      host.actions.search(effect.query).then(
        (messages) => host.update((ui) => searched(ui, effect.query, messages, null)),
        (error: unknown) => host.update((ui) => searched(ui, effect.query, null, errorText(error))),
      );
      return;
    case 'approve':
    case 'deny':
      (effect.type === 'approve'
        ? host.actions.approve(effect.id, effect.optionId)
        : host.actions.deny(effect.id)
      ).then(
        () =>
          host.update((ui) =>
            withNotice(ui, `${effect.type === 'approve' ? 'approved' : 'denied'} ${effect.id}`, 'info'),
          ),
        failed,
      );
      return;
    case 'quit':
      host.exit();
      return;
    case 'open-session':
      if (host.open) host.open(effect.session);
      else host.update((ui) => withNotice(ui, 'opening a session needs the dashboard on a terminal', 'error'));
      return;
    case 'add-agent':
    case 'remove-agent': {
      const agents = host.agents;
      const verb = effect.type === 'add-agent' ? 'added' : 'removed';
      const change = !agents
        ? Promise.reject(new Error('this dashboard cannot change the team'))
        : effect.type === 'add-agent'
          ? agents.add(effect.session, effect.coder)
          : agents.remove(effect.session);
      change.then(
        (summary) => host.update((ui) => agentChanged(ui, verb, summary)),
        (error: unknown) =>
          host.update((ui) => {
            const overlay = ui.overlay;
            const stillOpen = overlay?.kind === 'new-agent' || overlay?.kind === 'remove-agent';
            const failedUi = stillOpen ? { ...ui, overlay: { ...overlay, busy: false, error: errorText(error) } } : ui;
            return withNotice(failedUi, errorText(error), 'error');
          }),
      );
      return;
    }
    default: {
      const unreachable: never = effect;
      return unreachable;
    }
  }
}

/** After a successful send: clear the draft (unless edited meanwhile) and say where it went. */
export function sent(ui: UiState, effect: Extract<Effect, { type: 'send' }>, result: SendResult): UiState {
  const outcomes = result.results.map((r) => `${r.target} ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
  const unchanged = ui.draft.text === effect.draft;
  return {
    ...withNotice(ui, `sent ${shortId(result.message_id)} to ${effect.label}: ${outcomes.join(', ')}`, 'info'),
    sending: false,
    draft: unchanged ? EMPTY_FIELD : ui.draft,
    replyTo: unchanged ? null : ui.replyTo,
  };
}

/** After an add or remove: the overlay closes, the notice says what happened; a new agent is selected. */
export function agentChanged(ui: UiState, verb: 'added' | 'removed', summary: AgentChangeSummary): UiState {
  const overlay = ui.overlay?.kind === 'new-agent' || ui.overlay?.kind === 'remove-agent' ? null : ui.overlay;
  const outcome = summary.outcome ? ` (${summary.outcome}${summary.reason ? ` — ${summary.reason}` : ''})` : '';
  const notes = summary.notes.length > 0 ? `; ${summary.notes.join('; ')}` : '';
  const failed = summary.outcome === 'failed';
  const selectedSession =
    verb === 'added' ? summary.session : ui.selectedSession === summary.session ? null : ui.selectedSession;
  return {
    ...withNotice(ui, `${summary.session} ${verb}${outcome}${notes}`, failed ? 'error' : 'info'),
    overlay,
    selectedSession,
  };
}

/** Fills the thread overlay, if it still shows that thread. */
export function threadLoaded(
  ui: UiState,
  id: string,
  messages: readonly HistoryMessage[] | null,
  error: string | null,
): UiState {
  if (ui.overlay?.kind !== 'thread' || ui.overlay.id !== id) return ui;
  return { ...ui, overlay: { ...ui.overlay, messages: messages ?? [], error } };
}

/** Fills the search overlay, if it still waits for that query. */
export function searched(
  ui: UiState,
  query: string,
  results: readonly HistoryMessage[] | null,
  error: string | null,
): UiState {
  if (ui.overlay?.kind !== 'search' || ui.overlay.submitted !== query) return ui;
  // Newest first reads best in a result list.
  return { ...ui, overlay: { ...ui.overlay, results: results ? [...results].reverse() : [], selected: 0, error } };
}

/** `[code] message`, as the original showed errors. */
export function errorText(error: unknown): string {
  const failure = toAgentmuxError(error);
  return `[${failure.code}] ${failure.message}`;
}
