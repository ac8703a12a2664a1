// The one assessment every detector shares; detectors differ only in how they locate the
// composer, so all agent-specific patterns stay in the config's regexes.
import type { ScreenRules, ScreenSnapshot, ScreenVerdict } from './types.js';

/** The rows that make up the composer (top to bottom) and the screen row of the first one. */
export interface ComposerRegion {
  lines: string[];
  firstRow: number;
}

/** Finds the composer on a screen, or null when there is none (a dialog, a splash screen). */
export type ComposerLocator = (screen: ScreenSnapshot, rules: ScreenRules) => ComposerRegion | null;

/**
 * Busy rule on the visible screen, then waiting rule, then copy mode, then the composer: found by
 * `locate`, matched by the prompt rule (else `not_ready`), the empty-composer rule and the idle
 * column (else `draft`). Busy comes first because busy agents still draw an empty composer.
 */
export function assessScreen(screen: ScreenSnapshot, rules: ScreenRules, locate: ComposerLocator): ScreenVerdict {
  const visible = screen.lines.join('\n');
  const busy = firstMatch(rules.busyRegex, visible);
  if (busy !== null) return { state: 'busy', reason: `busy rule matched ${JSON.stringify(busy)}` };
  const waiting = firstMatch(rules.waitingRegex, visible);
  if (waiting !== null) return { state: 'waiting_input', reason: `waiting rule matched ${JSON.stringify(waiting)}` };
  if (screen.inMode) return { state: 'not_ready', reason: 'the pane is in copy mode' };
  const region = locate(screen, rules);
  if (region === null) return { state: 'not_ready', reason: 'no composer found on the screen' };
  const inspected = region.lines.join('\n');
  if (inspected.trim() === '') return { state: 'not_ready', reason: 'the inspected lines are blank' };
  if (rules.promptRegex !== undefined && firstMatch(rules.promptRegex, inspected) === null) {
    return { state: 'not_ready', reason: 'the prompt rule did not match the inspected lines' };
  }
  if (rules.emptyComposerRegex !== undefined && firstMatch(rules.emptyComposerRegex, inspected) === null) {
    return { state: 'draft', reason: 'the composer is not empty' };
  }
  if (rules.promptIdleColumn !== undefined && screen.cursorX !== rules.promptIdleColumn) {
    return {
      state: 'draft',
      reason: `cursor column ${screen.cursorX} is not the idle column ${rules.promptIdleColumn}`,
    };
  }
  return { state: 'ready' };
}

/** The last `count` lines after dropping trailing blank lines (blank lines inside are kept). */
export function inspectedTail(lines: readonly string[], count: number): ComposerRegion {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end -= 1;
  const start = Math.max(0, end - Math.max(1, count));
  return { lines: lines.slice(start, end), firstRow: start };
}

/**
 * The composer that starts at the last row accepted by `isGlyphRow` (searching from the bottom, as
 * sent messages in the scrollback use the same glyph), plus the continuation rows below it down to
 * the cursor's row when the cursor is inside it (a multi-line draft). A glyph row followed by more
 * than `maxFooterRows` non-blank rows (after its own continuation rows) is scrollback above
 * something else, such as a dialog, so no composer is found.
 */
export function composerBelowGlyph(
  screen: ScreenSnapshot,
  isGlyphRow: (line: string) => boolean,
  isContinuation: (line: string) => boolean,
  maxFooterRows: number,
): ComposerRegion | null {
  const { lines } = screen;
  for (let row = lines.length - 1; row >= 0; row -= 1) {
    if (!isGlyphRow(lines[row] ?? '')) continue;
    let below = row + 1;
    while (below < lines.length && isContinuation(lines[below] ?? '')) below += 1;
    if (lines.slice(below).filter((line) => line.trim() !== '').length > maxFooterRows) return null;
    let last = row;
    while (last < screen.cursorY && last + 1 < lines.length && isContinuation(lines[last + 1] ?? '')) last += 1;
    return { lines: lines.slice(row, last + 1), firstRow: row };
  }
  return null;
}

/** The text typed in a composer region: `glyph` removed from the first row, `indent` from the rest. */
export function regionText(region: ComposerRegion, glyph: RegExp, indent: number): string {
  return region.lines
    .map((line, index) => (index === 0 ? line.replace(glyph, '') : line.slice(Math.min(indent, leadingSpaces(line)))))
    .map((line) => line.replace(/[\s\u00a0]+$/u, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

/** The matched text of `regex` in `text`, or null; safe for regexes with the `g` or `y` flag. */
export function firstMatch(regex: RegExp | undefined, text: string): string | null {
  if (regex === undefined) return null;
  const fresh = regex.global || regex.sticky ? new RegExp(regex.source, regex.flags.replace(/[gy]/g, '')) : regex;
  const match = fresh.exec(text);
  return match === null ? null : match[0].slice(0, 80);
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}
