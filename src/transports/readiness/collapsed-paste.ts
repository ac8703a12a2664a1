// Agents fold a long paste into a placeholder in their composer: Gemini CLI shows
// `[Pasted Text: 6 lines]` (or `[Pasted Text: 501 chars #2]`), Claude Code
// `[Pasted text #1 +12 lines]`. Our text is then invisible to the screen rules, so a composer
// holding such a placeholder proves nothing was submitted yet, busy line or not.
import type { ReadinessDetector, ScreenSnapshot } from './types.js';

/** A placeholder in the composer and the size it states. */
export interface CollapsedPaste {
  /** The placeholder as drawn. */
  readonly text: string;
  /** `N lines`: the whole paste's line count. */
  readonly lines?: number;
  /** `+N lines`: lines beyond the ones shown (Claude Code). */
  readonly moreLines?: number;
  /** `N chars`: the paste's length in characters. */
  readonly chars?: number;
}

const PLACEHOLDER = /\[Pasted [Tt]ext(?::\s*(\d+) (lines?|chars?)| #\d+ \+(\d+) lines?)[^\]\n]*\]/u;

/** The first collapsed-paste placeholder in `text`, or null. */
export function collapsedPasteIn(text: string): CollapsedPaste | null {
  const match = PLACEHOLDER.exec(text);
  if (match === null) return null;
  const [whole, count, unit, more] = match;
  if (more !== undefined) return { text: whole, moreLines: Number(more) };
  return unit?.startsWith('line') ? { text: whole, lines: Number(count) } : { text: whole, chars: Number(count) };
}

/** The placeholder in the pane's composer (as the detector finds the composer), or null. */
export function collapsedPaste(detector: ReadinessDetector, screen: ScreenSnapshot): CollapsedPaste | null {
  const composer = detector.composerText?.(screen) ?? null;
  return composer === null ? null : collapsedPasteIn(composer);
}

/** True when the placeholder's stated size fits `pasted` (the text as it was typed into the pane). */
export function placeholderFits(placeholder: CollapsedPaste, pasted: string): boolean {
  const lines = pasted.split(/\r\n|\r|\n/).length;
  if (placeholder.lines !== undefined) return placeholder.lines === lines;
  if (placeholder.moreLines !== undefined) return placeholder.moreLines <= lines;
  if (placeholder.chars !== undefined) return placeholder.chars === [...pasted].length;
  return false;
}
