// The one exhaustive switch over intents: (ui, intent, view) → (ui', effect?). Pure, so every
// key's behaviour is tested without rendering; the App runs the returned effect.
import { toAgentmuxError } from '../../core/errors.js';
import { isSessionId } from '../../core/ids.js';
import type { KeyMode, Intent } from '../keys/intents.js';
import type { MessageStore } from '../state/message-store.js';
import { optionFor, type PermissionRequest } from '../state/permissions.js';
import { completeMention, parseDraft, resolveRecipients } from './draft.js';
import { anchorFor, visibleRange } from './stream-window.js';
import { backspace, EMPTY_FIELD, fieldOf, insertText, moveCursor, type TextField } from './text-field.js';
import type { Effect, Focus, UiState } from './ui-state.js';

/** What reduceIntent needs to know besides its own state. */
export interface IntentView {
  readonly self: string;
  /** Sessions in panel order. */
  readonly sessions: readonly { readonly id: string; readonly role: string; readonly transport?: string }[];
  readonly store: MessageStore;
  readonly permissions: readonly PermissionRequest[];
  /** Content rows of the stream panel. */
  readonly streamRows: number;
  /** Rows an overlay scrolls per page. */
  readonly pageRows: number;
  /** How far the open overlay can scroll (rows above the bottom). */
  readonly overlayMaxScroll: number;
  /** The coders a new agent can use; undefined when this dashboard cannot add agents. */
  readonly coders?: () => readonly string[];
}

/** The new state and the effect to run, if any. */
export interface IntentOutcome {
  readonly ui: UiState;
  readonly effect?: Effect;
}

/** Where keys go now. */
export function modeOf(ui: UiState): KeyMode {
  return ui.overlay ? ui.overlay.kind : ui.focus;
}

/** Applies one intent. */
export function reduceIntent(ui: UiState, intent: Intent, view: IntentView): IntentOutcome {
  switch (intent.type) {
    case 'quit':
      return { ui, effect: { type: 'quit' } };
    case 'help':
      // Help reads from the top: the largest scroll (clamped when drawn) shows its first line.
      return {
        ui: { ...ui, overlay: ui.overlay?.kind === 'help' ? null : { kind: 'help', scroll: Number.MAX_SAFE_INTEGER } },
      };
    case 'close':
      return { ui: close(ui) };
    case 'focus-next':
      return { ui: cycleFocus(ui, view, 1) };
    case 'focus-prev':
      return { ui: cycleFocus(ui, view, -1) };
    case 'complete-or-next': {
      const ids = view.sessions.map((session) => session.id);
      const completed = completeMention(ui.draft, ids, view.self);
      return { ui: completed ? { ...ui, draft: completed } : cycleFocus(ui, view, 1) };
    }
    case 'insert':
      return { ui: edit(intent.focusComposer ? { ...ui, focus: 'composer' } : ui, (f) => insertText(f, intent.text)) };
    case 'newline':
      return { ui: edit(ui, (f) => insertText(f, '\n')) };
    case 'backspace':
      return { ui: edit(ui, backspace) };
    case 'cursor':
      return { ui: edit(ui, (f) => moveCursor(f, intent.move)) };
    case 'clear':
      return { ui: edit(ui, () => EMPTY_FIELD) };
    case 'submit':
      if (ui.overlay?.kind === 'new-agent') return submitNewAgent(ui, view);
      return ui.overlay?.kind === 'search' ? submitSearch(ui) : submitDraft(ui, view);
    case 'select':
      return { ui: select(ui, view, intent.delta) };
    case 'select-edge':
      return { ui: selectEdge(ui, view, intent.edge) };
    case 'page':
      return { ui: page(ui, view, intent.delta) };
    case 'reply':
      return { ui: reply(ui, view) };
    case 'open-thread':
      return openThread(ui, view);
    case 'open-search':
      return {
        ui: {
          ...ui,
          overlay: { kind: 'search', query: EMPTY_FIELD, submitted: null, results: null, selected: 0, error: null },
        },
      };
    case 'open-look': {
      const target = ui.selectedSession ?? view.sessions.find((s) => s.role === 'agent')?.id;
      if (target === undefined) return { ui: withNotice(ui, 'select an agent to look at', 'error') };
      return { ui: { ...ui, overlay: { kind: 'look', target, scroll: 0, refresh: 0 } } };
    }
    case 'message-session':
      return { ui: messageSession(ui, view) };
    case 'open-session': {
      const target = view.sessions.find((s) => s.id === ui.selectedSession);
      if (!target) return { ui: withNotice(ui, 'select a session first', 'error') };
      if (target.role !== 'agent' || (target.transport !== undefined && target.transport !== 'tmux'))
        return { ui: withNotice(ui, `${target.id} has no tmux pane to open`, 'error') };
      return { ui, effect: { type: 'open-session', session: target.id } };
    }
    case 'approve':
    case 'deny': {
      const request = view.permissions[Math.min(ui.selectedPermission, view.permissions.length - 1)];
      if (!request) return { ui };
      return { ui, effect: { type: intent.type, id: request.id, optionId: optionFor(request, intent.type) } };
    }
    case 'new-agent':
      return { ui: newAgent(ui, view) };
    case 'remove-agent':
      return { ui: removeAgent(ui, view) };
    case 'confirm':
      if (ui.overlay?.kind !== 'remove-agent' || ui.overlay.busy) return { ui };
      return {
        ui: { ...ui, overlay: { ...ui.overlay, busy: true, error: null } },
        effect: { type: 'remove-agent', session: ui.overlay.target },
      };
    case 'refresh':
      return {
        ui: ui.overlay?.kind === 'look' ? { ...ui, overlay: { ...ui.overlay, refresh: ui.overlay.refresh + 1 } } : ui,
      };
    default: {
      const unreachable: never = intent;
      return unreachable;
    }
  }
}

/** A notice on the status row. */
export function withNotice(ui: UiState, text: string, level: 'info' | 'error'): UiState {
  return { ...ui, notice: { text, level } };
}

function close(ui: UiState): UiState {
  if (ui.overlay) return { ...ui, overlay: null };
  if (ui.focus !== 'composer') return { ...ui, focus: 'composer' };
  if (ui.replyTo) return { ...ui, replyTo: null };
  return { ...ui, notice: null, selectedMessage: null, anchor: null };
}

function cycleFocus(ui: UiState, view: IntentView, direction: 1 | -1): UiState {
  const order: Focus[] = [
    'composer',
    'stream',
    'sessions',
    ...(view.permissions.length > 0 ? (['permissions'] as const) : []),
  ];
  const index = Math.max(0, order.indexOf(ui.focus));
  const focus = order[(index + direction + order.length) % order.length] ?? 'composer';
  if (focus === 'stream' && ui.selectedMessage === null) {
    const newest = view.store.ids.at(-1) ?? null;
    return { ...ui, focus, selectedMessage: newest, anchor: anchorFor(view.store, newest, ui.anchor, view.streamRows) };
  }
  if (focus === 'sessions' && ui.selectedSession === null) {
    const first = view.sessions.find((s) => s.id !== view.self) ?? view.sessions[0];
    return { ...ui, focus, selectedSession: first?.id ?? null };
  }
  return { ...ui, focus };
}

function edit(ui: UiState, change: (field: TextField) => TextField): UiState {
  if (ui.overlay?.kind === 'search') return { ...ui, overlay: { ...ui.overlay, query: change(ui.overlay.query) } };
  if (ui.overlay?.kind === 'new-agent') {
    // Session ids have no spaces or line breaks: a pasted name keeps only its first word.
    const name = change(ui.overlay.name);
    const clean = name.text.split(/\s/u)[0] ?? '';
    const field = clean === name.text ? name : { text: clean, cursor: Math.min(name.cursor, clean.length) };
    return { ...ui, overlay: { ...ui.overlay, name: field, error: null } };
  }
  return { ...ui, draft: change(ui.draft) };
}

function submitDraft(ui: UiState, view: IntentView): IntentOutcome {
  if (ui.sending || ui.draft.text.trim() === '') return { ui };
  const parsed = parseDraft(ui.draft.text);
  if (parsed.body === '') return { ui: withNotice(ui, 'type the message after the recipients', 'error') };
  const recipients = resolveRecipients(parsed, view.self, ui.replyTo, ui.selectedSession);
  if (recipients.source === 'none') {
    return { ui: withNotice(ui, 'name a recipient: start with @id (Tab completes), or select a session', 'error') };
  }
  const params = {
    to: [...recipients.to],
    body: parsed.body,
    ...(recipients.broadcast ? { broadcast: true } : {}),
    ...(ui.replyTo ? { reply_to: ui.replyTo.id } : {}),
  };
  const label = recipients.broadcast ? 'everyone' : recipients.to.join(', ');
  return { ui: { ...ui, sending: true }, effect: { type: 'send', params, label, draft: ui.draft.text } };
}

function submitSearch(ui: UiState): IntentOutcome {
  if (ui.overlay?.kind !== 'search') return { ui };
  const query = ui.overlay.query.text.trim();
  if (query === '') return { ui };
  return {
    ui: { ...ui, overlay: { ...ui.overlay, submitted: query, results: null, selected: 0, error: null } },
    effect: { type: 'search', query },
  };
}

function select(ui: UiState, view: IntentView, delta: number): UiState {
  const overlay = ui.overlay;
  if (overlay?.kind === 'search') {
    const max = Math.max(0, (overlay.results?.length ?? 0) - 1);
    return { ...ui, overlay: { ...overlay, selected: clamp(overlay.selected + delta, 0, max) } };
  }
  if (overlay?.kind === 'new-agent') {
    return { ...ui, overlay: { ...overlay, coder: clamp(overlay.coder + delta, 0, overlay.coders.length - 1) } };
  }
  if (overlay?.kind === 'remove-agent') return ui;
  if (overlay) {
    const scroll = clamp(Math.min(overlay.scroll, view.overlayMaxScroll) - delta, 0, view.overlayMaxScroll);
    return { ...ui, overlay: { ...overlay, scroll } };
  }
  switch (ui.focus) {
    case 'sessions': {
      const index = view.sessions.findIndex((s) => s.id === ui.selectedSession);
      const next = view.sessions[clamp(index + delta, 0, view.sessions.length - 1)];
      return { ...ui, selectedSession: next?.id ?? null };
    }
    case 'permissions':
      return { ...ui, selectedPermission: clamp(ui.selectedPermission + delta, 0, view.permissions.length - 1) };
    default:
      return selectMessage(ui, view, delta);
  }
}

function selectMessage(ui: UiState, view: IntentView, delta: number): UiState {
  const ids = view.store.ids;
  const current = ui.selectedMessage === null ? ids.length : ids.indexOf(ui.selectedMessage);
  const next = (current === -1 ? ids.length : current) + delta;
  if (next >= ids.length || ids.length === 0) return { ...ui, selectedMessage: null, anchor: null };
  const selected = ids[Math.max(0, next)] ?? null;
  return { ...ui, selectedMessage: selected, anchor: anchorFor(view.store, selected, ui.anchor, view.streamRows) };
}

function selectEdge(ui: UiState, view: IntentView, edge: 'first' | 'last'): UiState {
  const overlay = ui.overlay;
  if (overlay && 'scroll' in overlay) {
    return { ...ui, overlay: { ...overlay, scroll: edge === 'first' ? view.overlayMaxScroll : 0 } };
  }
  if (edge === 'last') return { ...ui, selectedMessage: null, anchor: null };
  const first = view.store.ids[0] ?? null;
  return { ...ui, selectedMessage: first, anchor: anchorFor(view.store, first, ui.anchor, view.streamRows) };
}

function page(ui: UiState, view: IntentView, delta: 1 | -1): UiState {
  const overlay = ui.overlay;
  if (overlay && 'scroll' in overlay) {
    const current = Math.min(overlay.scroll, view.overlayMaxScroll);
    const scroll = clamp(current - delta * view.pageRows, 0, view.overlayMaxScroll);
    return { ...ui, overlay: { ...overlay, scroll } };
  }
  const { top, bottom } = visibleRange(view.store, ui.anchor, view.streamRows);
  return selectMessage(ui, view, delta * Math.max(1, bottom - top));
}

function reply(ui: UiState, view: IntentView): UiState {
  const fromThread = ui.overlay?.kind === 'thread' ? ui.overlay.messages?.at(-1) : undefined;
  const selected = ui.selectedMessage === null ? undefined : view.store.byId.get(ui.selectedMessage)?.message;
  const newestIncoming = [...view.store.ids]
    .reverse()
    .map((id) => view.store.byId.get(id)?.message)
    .find((message) => message !== undefined && message.from !== view.self);
  const message = fromThread ?? selected ?? newestIncoming;
  if (!message) return withNotice(ui, 'no message to reply to', 'error');
  const replyTo = { id: message.id, from: message.from, to: [...message.to, ...message.cc] };
  return { ...ui, replyTo, focus: 'composer', overlay: null, notice: null };
}

function openThread(ui: UiState, view: IntentView): IntentOutcome {
  const overlay = ui.overlay;
  const id =
    overlay?.kind === 'search'
      ? overlay.results?.[overlay.selected]?.id
      : (ui.selectedMessage ?? view.store.ids.at(-1));
  if (id === undefined) return { ui: withNotice(ui, 'no message selected', 'error') };
  return {
    ui: { ...ui, overlay: { kind: 'thread', id, scroll: 0, messages: null, error: null } },
    effect: { type: 'load-thread', id },
  };
}

function messageSession(ui: UiState, view: IntentView): UiState {
  const target = ui.selectedSession;
  if (target === null) return withNotice(ui, 'select a session first', 'error');
  if (target === view.self) return withNotice(ui, 'that is you', 'error');
  const mentioned = parseDraft(ui.draft.text).to.includes(target);
  return {
    ...ui,
    focus: 'composer',
    replyTo: null,
    draft: mentioned ? ui.draft : fieldOf(`@${target} ${ui.draft.text}`),
  };
}

// `n` on the sessions panel: name the agent and pick its coder.
function newAgent(ui: UiState, view: IntentView): UiState {
  if (view.coders === undefined) return withNotice(ui, 'this dashboard cannot add agents', 'error');
  let coders: readonly string[];
  try {
    coders = view.coders();
  } catch (error) {
    // coders.toml is read now, so an edit with a mistake in it shows here, not as a crash.
    const failure = toAgentmuxError(error);
    return withNotice(ui, `[${failure.code}] ${failure.message}`, 'error');
  }
  if (coders.length === 0) return withNotice(ui, 'no coders to start an agent with: add one to coders.toml', 'error');
  return {
    ...ui,
    overlay: { kind: 'new-agent', coders, coder: 0, name: EMPTY_FIELD, busy: false, error: null },
  };
}

function submitNewAgent(ui: UiState, view: IntentView): IntentOutcome {
  const overlay = ui.overlay;
  if (overlay?.kind !== 'new-agent' || overlay.busy) return { ui };
  const session = overlay.name.text;
  const coder = overlay.coders[overlay.coder];
  const problem =
    session === ''
      ? 'type a name for the new agent'
      : !isSessionId(session)
        ? `"${session}" is not a session id: a letter, then letters, digits, _ or -`
        : view.sessions.some((s) => s.id === session)
          ? `${session} is already in the team`
          : coder === undefined
            ? 'pick a coder'
            : null;
  if (problem !== null || coder === undefined) {
    return { ui: { ...ui, overlay: { ...overlay, error: problem ?? 'pick a coder' } } };
  }
  return {
    ui: { ...ui, overlay: { ...overlay, busy: true, error: null } },
    effect: { type: 'add-agent', session, coder },
  };
}

// `x` on the sessions panel: asks before stopping an agent and taking it out of the bundle.
function removeAgent(ui: UiState, view: IntentView): UiState {
  if (view.coders === undefined) return withNotice(ui, 'this dashboard cannot remove agents', 'error');
  const target = view.sessions.find((s) => s.id === ui.selectedSession);
  if (!target) return withNotice(ui, 'select an agent to remove', 'error');
  if (target.role !== 'agent') return withNotice(ui, `${target.id} is not an agent of the bundle`, 'error');
  return { ...ui, overlay: { kind: 'remove-agent', target: target.id, busy: false, error: null } };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
