// Text from other people (message bodies, subjects, sender names, reasons) shown on the
// operator's terminal with its control characters made visible, the way `cat -v` shows them:
// ESC as `^[`, CR as `^M`, DEL as `^?`, C1 controls as `M-^[`. A body can then neither forge a
// line (`\r`, erase-line), set the window title, nor write the clipboard (OSC 52). `--json`
// output is never passed through here: it stays exact.
/* eslint-disable no-control-regex -- matching control characters is what this module is for */

// C0 but tab (newlines are split off by the callers that keep them), DEL, C1, and the Unicode
// line and paragraph separators some terminals treat as newlines.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g;

function caret(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x7f) return '^?';
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code >= 0x80 && code <= 0x9f) return `M-^${String.fromCharCode(code - 0x80 + 0x40)}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** `text` with every control character (newlines included) shown as visible text. */
export function visible(text: string): string {
  return text.replace(CONTROL, caret);
}

/** `text` split into lines at `\n`, each with its control characters made visible. */
export function visibleLines(text: string): string[] {
  return text.split('\n').map(visible);
}
