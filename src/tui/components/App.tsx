// The dashboard: lays out the panels for the terminal, turns keys into intents, applies them
// with reduceIntent and runs the effects they return.
import { Box, useApp, useInput, useStdin, type Key } from 'ink';
import { useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { returnNotice, type DashboardAttach } from '../attach/index.js';
import { useRelayActions, useRelayState } from '../context.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { keyToIntent } from '../keys/key-map.js';
import { PasteTracker, toKeyPresses } from '../keys/key-press.js';
import type { RelayState } from '../state/relay-state.js';
import { completionsFor, mentionAt, parseDraft, resolveRecipients } from '../ui/draft.js';
import { computeLayout, type Layout } from '../ui/layout.js';
import { modeOf, reduceIntent, withNotice, type IntentView } from '../ui/reduce-intent.js';
import { runEffect, type EffectHost } from '../ui/run-effect.js';
import { INITIAL_UI, type UiState } from '../ui/ui-state.js';
import { AgentManagerContext } from '../agent-manager.js';
import { NewAgentOverlay, RemoveAgentOverlay } from './AgentOverlays.js';
import { Composer } from './Composer.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LookOverlay } from './LookOverlay.js';
import { PermissionsPanel } from './PermissionsPanel.js';
import { SearchOverlay } from './SearchOverlay.js';
import { SessionsPanel } from './SessionsPanel.js';
import { StreamPanel } from './StreamPanel.js';
import { ThreadOverlay } from './ThreadOverlay.js';

export interface AppProps {
  /** Fixed size (tests, captures); default: the terminal's, following resizes. */
  readonly columns?: number;
  readonly rows?: number;
  /** Called when the user quits, before ink exits. */
  readonly onQuit?: () => void;
  /** Initial UI state (tests). */
  readonly initialUi?: UiState;
  /** Opens agents' panes full screen (Enter or o on a session); absent, they cannot be opened. */
  readonly attach?: DashboardAttach;
}

/** The whole dashboard, exactly the terminal's size. */
export function App(props: AppProps): ReactNode {
  const state = useRelayState();
  const actions = useRelayActions();
  const agents = useContext(AgentManagerContext);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize({ columns: props.columns, rows: props.rows });
  const [ui, setUi] = useState<UiState>(props.initialUi ?? INITIAL_UI);
  const uiRef = useRef(ui);
  const stateRef = useRef(state);
  stateRef.current = state;
  const paste = useRef(new PasteTracker());
  const overlayMax = useRef(0);
  const layout = computeLayout(size, ui.draft.text.split('\n').length, state.permissions.length);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  // Several keys can arrive in one chunk, before React re-renders: the ref is the truth.
  const update = useCallback((change: (current: UiState) => UiState) => {
    uiRef.current = change(uiRef.current);
    setUi(uiRef.current);
  }, []);
  const { onQuit, attach } = props;
  // The session shown full screen; while set, no key reaches the dashboard.
  const [attached, setAttached] = useState<string | null>(null);
  const host = useMemo<EffectHost>(
    () => ({
      actions,
      update,
      exit: () => {
        onQuit?.();
        exit();
      },
      open: attach
        ? (session) => {
            // Before the state change: a throttled frame must not land on tmux's first paint.
            attach.begin();
            setAttached(session);
          }
        : undefined,
      agents: agents ?? undefined,
    }),
    [actions, update, exit, onQuit, attach, agents],
  );
  const onMaxScroll = useCallback((max: number) => {
    overlayMax.current = max;
  }, []);
  const onKey = useCallback(
    (input: string, key: Key) => {
      for (const raw of toKeyPresses(input, key)) {
        const press = paste.current.feed(raw);
        if (!press) continue;
        const current = uiRef.current;
        const intent = keyToIntent(press, { mode: modeOf(current), draftEmpty: current.draft.text === '' });
        if (!intent) continue;
        const view = {
          ...intentView(stateRef.current, layoutRef.current, overlayMax.current),
          ...(agents ? { coders: () => agents.coders() } : {}),
        };
        const outcome = reduceIntent(current, intent, view);
        update(() => outcome.ui);
        if (outcome.effect) runEffect(outcome.effect, host);
      }
    },
    [host, update, agents],
  );
  useInput(onKey, { isActive: isRawModeSupported === true && attached === null });
  // Declared after useInput, and started on the next turn: ink has let go of raw mode by then.
  useEffect(() => {
    if (attached === null || !attach) return;
    const timer = setImmediate(() => {
      void attach.open(attached).then((result) => {
        update((current) =>
          withNotice(
            current,
            returnNotice(attached, result, attach.detachKey),
            result.outcome === 'spawn_failed' ? 'error' : 'info',
          ),
        );
        setAttached(null);
      });
    });
    return () => clearImmediate(timer);
  }, [attached, attach, update]);
  // The permissions panel disappears with its last request; its keys go back to the composer.
  const pending = state.permissions.length;
  useEffect(() => {
    if (pending === 0 && uiRef.current.focus === 'permissions')
      update((current) => ({ ...current, focus: 'composer' }));
  }, [pending, update]);

  const mode = modeOf(ui);
  const ids = state.sessions.map((s) => s.id);
  const mention = mentionAt(ui.draft);
  const completions = ui.focus === 'composer' && mention ? completionsFor(mention.prefix, ids, state.self) : [];
  const recipients = resolveRecipients(parseDraft(ui.draft.text), state.self, ui.replyTo, ui.selectedSession);
  const idle = state.loaded ? '' : 'connecting to the relay…';
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.rows}>
      <Header width={layout.columns} />
      <Main ui={ui} layout={layout} onMaxScroll={onMaxScroll} />
      {layout.permissions > 0 ? (
        <PermissionsPanel
          width={layout.columns}
          height={layout.permissions}
          focused={mode === 'permissions'}
          selected={ui.selectedPermission}
        />
      ) : null}
      <Composer
        width={layout.columns}
        rows={layout.composerText}
        focused={mode === 'composer'}
        draft={ui.draft}
        recipients={recipients}
        replyTo={ui.replyTo}
        completions={completions}
        sending={ui.sending}
      />
      <Footer width={layout.columns} mode={mode} notice={ui.notice} idle={idle} />
    </Box>
  );
}

function Main(props: { ui: UiState; layout: Layout; onMaxScroll: (max: number) => void }): ReactNode {
  const { ui, layout, onMaxScroll } = props;
  const overlay = ui.overlay;
  const size = { width: layout.columns, height: layout.main };
  switch (overlay?.kind) {
    case 'help':
      return <HelpOverlay {...size} scroll={overlay.scroll} onMaxScroll={onMaxScroll} />;
    case 'thread':
      return <ThreadOverlay {...size} {...overlay} onMaxScroll={onMaxScroll} />;
    case 'search':
      return <SearchOverlay {...size} {...overlay} />;
    case 'look':
      return <LookOverlay {...size} {...overlay} onMaxScroll={onMaxScroll} />;
    case 'new-agent':
      return <NewAgentOverlay {...size} {...overlay} />;
    case 'remove-agent':
      return <RemoveAgentOverlay {...size} {...overlay} />;
    case undefined:
      return (
        <Box width={layout.columns} height={layout.main} flexShrink={0}>
          {layout.sessionsWidth > 0 ? (
            <SessionsPanel
              width={layout.sessionsWidth}
              height={layout.main}
              focused={ui.focus === 'sessions'}
              selected={ui.selectedSession}
            />
          ) : null}
          <StreamPanel
            width={layout.streamWidth}
            height={layout.main}
            focused={ui.focus === 'stream'}
            selected={ui.selectedMessage}
            anchor={ui.anchor}
          />
        </Box>
      );
    default: {
      const unreachable: never = overlay;
      return unreachable;
    }
  }
}

/** What reduceIntent sees of the relay state and the layout. */
export function intentView(state: RelayState, layout: Layout, overlayMaxScroll: number): IntentView {
  return {
    self: state.self,
    sessions: state.sessions,
    store: state.store,
    permissions: state.permissions,
    streamRows: layout.streamRows,
    pageRows: Math.max(1, layout.main - 3),
    overlayMaxScroll,
  };
}
