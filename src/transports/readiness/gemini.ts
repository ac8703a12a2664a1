// Gemini CLI (reference/real-clis.md §2): the composer is the last ` > ` row (sent prompts in
// the scrollback look the same), plus the three-space-indented rows of a multi-line draft down
// to the cursor. An empty composer shows a placeholder, which only the coder's empty-composer
// rule can tell from a draft.
import { assessScreen, composerBelowGlyph, regionText, type ComposerRegion } from './assess.js';
import type { ReadinessDetector, ScreenSnapshot } from './types.js';

const GLYPH = /^ >\s*/u;
// Below the composer: a blank row and the workspace row.
const FOOTER_ROWS = 2;

function locate(screen: ScreenSnapshot): ComposerRegion | null {
  return composerBelowGlyph(
    screen,
    (line) => line === ' >' || line.startsWith(' > '),
    (line) => line.startsWith('   ') && line.trim() !== '',
    FOOTER_ROWS,
  );
}

/** Scopes the coder's prompt and empty-composer rules to Gemini's composer rows. */
export const geminiDetector: ReadinessDetector = {
  kind: 'gemini',
  assess: (screen, rules) => assessScreen(screen, rules, locate),
  composerText: (screen) => {
    const region = locate(screen);
    return region === null ? null : regionText(region, GLYPH, 3);
  },
};
