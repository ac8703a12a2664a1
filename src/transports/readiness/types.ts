// The readiness contract: a detector is a pure function from a captured screen and the coder's
// screen rules (data from coders.toml) to a verdict about typing into that pane right now.

/** The detectors a coder can name in `detector = "…"`; they differ only in where the composer is. */
export const DETECTOR_KINDS = ['generic', 'claude', 'codex', 'gemini'] as const;
/** One detector kind. */
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

/** A coder's screen rules, compiled from its config (DESIGN "Settled details" 16 and 19). */
export interface ScreenRules {
  /** Must match the inspected lines for the composer to count as present. */
  promptRegex?: RegExp;
  /** How many lines (trailing blank lines dropped) the generic detector inspects. */
  promptInspectLines: number;
  /** When set, the cursor column must equal it (a cursor further right means someone is typing). */
  promptIdleColumn?: number;
  /** Tested against the whole visible screen; a match means the agent is working. */
  busyRegex?: RegExp;
  /** Tested against the whole visible screen; a match means a dialog or question awaits a human. */
  waitingRegex?: RegExp;
  /** Must match the inspected lines for the composer to count as empty (no draft). */
  emptyComposerRegex?: RegExp;
}

/** One capture of a pane: rows top to bottom (as capture-pane prints them) and the cursor. */
export interface ScreenSnapshot {
  lines: string[];
  cursorX: number;
  cursorY: number;
  /** The pane shows copy mode or another tmux mode. */
  inMode: boolean;
}

/**
 * What to do with the pane now: `ready` to type; `busy` and `waiting_input` are agent states
 * (waiting has no deadline); `draft` means someone's text is in the composer (never overwrite
 * it); `not_ready` means the screen is not (yet) recognisable as an idle composer.
 */
export type ScreenVerdict =
  | { state: 'busy'; reason: string }
  | { state: 'waiting_input'; reason: string }
  | { state: 'ready' }
  | { state: 'draft'; reason: string }
  | { state: 'not_ready'; reason: string };

/** A detector for one kind of agent UI; pure, so it is tested with literal screens. */
export interface ReadinessDetector {
  readonly kind: DetectorKind;
  /** Busy rule, then waiting rule, then copy mode, then the composer rules (Settled 16). */
  assess(screen: ScreenSnapshot, rules: ScreenRules): ScreenVerdict;
  /** The agent acts on input only while it believes it has focus: tell it so before typing. */
  readonly focusBeforeTyping?: boolean;
  /** The composer's text (glyph and indentation removed; a placeholder is returned as is), or null when no composer is found. */
  composerText?(screen: ScreenSnapshot): string | null;
}
