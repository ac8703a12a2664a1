// Claude Code (reference/real-clis.md §3): the composer is the `❯` row between the last two
// full-width `─` rules; the same glyph appears in the scrollback (sent prompts) and, indented,
// in dialogs, so it is found from the bottom and only at column 0.
import { assessScreen, regionText, type ComposerRegion } from './assess.js';
import type { ReadinessDetector, ScreenSnapshot } from './types.js';

const RULE = /^\s*─{20,}/u;
const GLYPH = /^❯[ \u00a0]?/u;

function locate(screen: ScreenSnapshot): ComposerRegion | null {
  const rules: number[] = [];
  for (let row = screen.lines.length - 1; row >= 0 && rules.length < 2; row -= 1) {
    if (RULE.test(screen.lines[row] ?? '')) rules.push(row);
  }
  const [below, above] = rules;
  if (below === undefined || above === undefined || below - above < 2) return null;
  const region = { lines: screen.lines.slice(above + 1, below), firstRow: above + 1 };
  return (region.lines[0] ?? '').startsWith('❯') ? region : null;
}

/** Scopes the coder's prompt and empty-composer rules to Claude's composer box. */
export const claudeDetector: ReadinessDetector = {
  kind: 'claude',
  assess: (screen, rules) => assessScreen(screen, rules, locate),
  composerText: (screen) => {
    const region = locate(screen);
    return region === null ? null : regionText(region, GLYPH, 2);
  },
};
