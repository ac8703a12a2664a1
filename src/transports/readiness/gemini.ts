// Gemini CLI (reference/real-clis.md §2): the composer is the last ` > ` row (sent prompts in
// the scrollback look the same), plus the three-space-indented rows of a multi-line draft down
// to the cursor. An empty composer shows a placeholder, which only the coder's empty-composer
// rule can tell from a draft.
import { assessScreen, composerBelowGlyph, regionText, type ComposerRegion } from './assess.js';
import type { ReadinessDetector, ScreenRules, ScreenSnapshot } from './types.js';

const GLYPH = /^ >\s*/u;
// Below the composer: a blank row and the workspace row.
const FOOTER_ROWS = 2;
// Typed text starts after ` > `: a cursor left of it is not in the composer.
const INPUT_COLUMN = 3;

function locate(screen: ScreenSnapshot): ComposerRegion | null {
  return composerBelowGlyph(
    screen,
    (line) => line === ' >' || line.startsWith(' > '),
    (line) => line.startsWith('   ') && line.trim() !== '',
    FOOTER_ROWS,
  );
}

/**
 * Unfocused (the private server sends focus events, and only a pane a client looks at has
 * focus), Gemini parks its hidden cursor at column 0, so the cursor says nothing about a draft.
 * The empty-composer rule alone decides then; without one the idle column still applies.
 */
function rulesFor(screen: ScreenSnapshot, rules: ScreenRules): ScreenRules {
  if (rules.emptyComposerRegex === undefined || rules.promptIdleColumn === undefined) return rules;
  if (screen.cursorX >= INPUT_COLUMN) return rules;
  const { promptIdleColumn: _parked, ...rest } = rules;
  return rest;
}

/** Scopes the coder's prompt and empty-composer rules to Gemini's composer rows. */
export const geminiDetector: ReadinessDetector = {
  kind: 'gemini',
  // Unfocused, it neither shows nor submits typed text until a focus-in arrives.
  focusBeforeTyping: true,
  assess: (screen, rules) => assessScreen(screen, rulesFor(screen, rules), locate),
  composerText: (screen) => {
    const region = locate(screen);
    return region === null ? null : regionText(region, GLYPH, 3);
  },
};
