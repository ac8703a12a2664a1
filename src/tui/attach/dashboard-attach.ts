// The dashboard's side of "open an agent": mutes ink, attaches, then puts the dashboard's
// screen back (alternate screen, bracketed paste, a clear page for ink's next full frame).
import { attachSession, type AttachOptions, type AttachResult } from './attach-client.js';
import { createOutputGate, type OutputGate } from './output-gate.js';

/** What the dashboard needs to open sessions full screen. */
export interface DashboardAttach {
  /** Give this to ink's render() as stdout. */
  readonly gate: OutputGate;
  /** Mutes ink now; call in the key handler, before the state change that opens. */
  begin(): void;
  /** Attaches to `session` (after begin()); resolves once the dashboard may draw again. */
  open(session: string): Promise<AttachResult>;
  /** The key that comes back, as tui.toml names it. */
  readonly detachKey: string;
}

export interface DashboardAttachOptions extends Omit<AttachOptions, 'session' | 'stdout'> {
  stdout: NodeJS.WriteStream;
}

// The dashboard's own screen modes (run-tui.ts), which tmux's teardown turned off.
const DASHBOARD_SCREEN = '\u001b[?1049h\u001b[?2004h\u001b[2J\u001b[H';

/** Builds the gate and the open/return sequence around attachSession. */
export function createDashboardAttach(options: DashboardAttachOptions): DashboardAttach {
  const gate = createOutputGate(options.stdout);
  return {
    gate,
    detachKey: options.detachKey,
    begin: () => gate.mute(),
    open: async (session) => {
      gate.mute();
      try {
        const result = await attachSession({ ...options, session, stayRaw: true });
        // After a signal the dashboard is quitting and gives the terminal back itself.
        if (result.via !== 'signal') options.stdout.write(DASHBOARD_SCREEN);
        return result;
      } finally {
        gate.unmute();
      }
    },
  };
}

/** One line for the dashboard's notice after a return. */
export function returnNotice(session: string, result: AttachResult, detachKey: string): string {
  switch (result.outcome) {
    case 'detached':
      return `back from ${session} (${detachKey}); Enter or o opens it again`;
    case 'session_ended':
      return `${session} ended while you were attached`;
    case 'spawn_failed':
      return `could not open ${session}: ${result.error ?? 'the tmux client did not start'}`;
  }
}
