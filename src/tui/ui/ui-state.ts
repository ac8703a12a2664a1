// The dashboard's own state (focus, overlays, the draft, selections), apart from what the
// relay says, plus the effects that intents ask the App to run.
import type { HistoryMessage, SendParams } from '../../core/protocol/index.js';
import type { ReplyTarget } from './draft.js';
import { EMPTY_FIELD, type TextField } from './text-field.js';

/** The panel that receives keys when no overlay is open. */
export type Focus = 'composer' | 'stream' | 'sessions' | 'permissions';

/** A full-size view over the panels; `scroll` counts rows up from the bottom. */
export type Overlay =
  | { readonly kind: 'help'; readonly scroll: number }
  | {
      readonly kind: 'thread';
      readonly id: string;
      readonly scroll: number;
      readonly messages: readonly HistoryMessage[] | null;
      readonly error: string | null;
    }
  | {
      readonly kind: 'search';
      readonly query: TextField;
      readonly submitted: string | null;
      readonly results: readonly HistoryMessage[] | null;
      readonly selected: number;
      readonly error: string | null;
    }
  | { readonly kind: 'look'; readonly target: string; readonly scroll: number; readonly refresh: number }
  | {
      readonly kind: 'new-agent';
      /** The coders of coders.toml, and the chosen one's index. */
      readonly coders: readonly string[];
      readonly coder: number;
      readonly name: TextField;
      /** Adding is under way (the relay reloads and starts the agent). */
      readonly busy: boolean;
      readonly error: string | null;
    }
  | { readonly kind: 'remove-agent'; readonly target: string; readonly busy: boolean; readonly error: string | null };

/** A line for the status row. */
export interface Notice {
  readonly text: string;
  readonly level: 'info' | 'error';
}

/** Everything the dashboard decides for itself. */
export interface UiState {
  readonly focus: Focus;
  readonly overlay: Overlay | null;
  readonly draft: TextField;
  readonly replyTo: ReplyTarget | null;
  /** The selected message; null follows the newest. */
  readonly selectedMessage: string | null;
  /** The bottom message of the stream window; null shows the newest. */
  readonly anchor: string | null;
  readonly selectedSession: string | null;
  readonly selectedPermission: number;
  readonly notice: Notice | null;
  /** A send is in flight (Enter is ignored until it answers). */
  readonly sending: boolean;
}

/** Side effects an intent asks for; the App runs them and folds the answers back in. */
export type Effect =
  | { readonly type: 'send'; readonly params: SendParams; readonly label: string; readonly draft: string }
  | { readonly type: 'load-thread'; readonly id: string }
  | { readonly type: 'search'; readonly query: string }
  | { readonly type: 'approve'; readonly id: string; readonly optionId: string | undefined }
  | { readonly type: 'deny'; readonly id: string; readonly optionId: string | undefined }
  | { readonly type: 'open-session'; readonly session: string }
  | { readonly type: 'add-agent'; readonly session: string; readonly coder: string }
  | { readonly type: 'remove-agent'; readonly session: string }
  | { readonly type: 'quit' };

/** The state at start: typing into the composer, following the newest message. */
export const INITIAL_UI: UiState = {
  focus: 'composer',
  overlay: null,
  draft: EMPTY_FIELD,
  replyTo: null,
  selectedMessage: null,
  anchor: null,
  selectedSession: null,
  selectedPermission: 0,
  notice: null,
  sending: false,
};
