// Codex CLI (reference/real-clis.md §4): the composer is the last row starting with `› `
// (sent prompts in the scrollback use the same glyph), plus the two-space-indented rows of a
// multi-line draft down to the cursor. An empty composer shows a dim placeholder, which only
// the coder's empty-composer rule can tell from a draft.
import { assessScreen, composerBelowGlyph, regionText, type ComposerRegion } from './assess.js';
import type { ReadinessDetector, ScreenSnapshot } from './types.js';

const GLYPH = /^› ?/u;
// Below the composer: a blank row, the model/path status row and the key hints.
const FOOTER_ROWS = 3;

function locate(screen: ScreenSnapshot): ComposerRegion | null {
  return composerBelowGlyph(
    screen,
    (line) => line === '›' || line.startsWith('› '),
    (line) => line.startsWith('  ') && line.trim() !== '',
    FOOTER_ROWS,
  );
}

/** Scopes the coder's prompt and empty-composer rules to Codex's composer rows. */
export const codexDetector: ReadinessDetector = {
  kind: 'codex',
  assess: (screen, rules) => assessScreen(screen, rules, locate),
  composerText: (screen) => {
    const region = locate(screen);
    return region === null ? null : regionText(region, GLYPH, 2);
  },
};
