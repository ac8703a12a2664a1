// Makes message text safe to type into a terminal pane: after sanitizing, nothing in the text can
// act as a terminal control (no ESC, no C0/C1 control, no bracketed-paste marker), so a message
// can neither end our bracketed paste early nor drive the receiving program.
/* eslint-disable no-control-regex -- matching control characters is what this module is for */

// Control sequences, matched as whole units so their parameters do not survive as visible junk.
// 7-bit forms start with ESC, 8-bit forms with the C1 introducer (U+009B CSI, U+009D OSC, …).
const CSI = /(?:\x1b\[|\u009b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g;
// OSC ends with BEL or ST (ESC \ or U+009C); DCS, SOS, PM and APC end with ST.
const OSC = /(?:\x1b\]|\u009d)[^\x07\x1b\u009c]*(?:\x07|\x1b\\|\u009c)/g;
// An ESC inside them that does not start ST is content (tmux passthrough doubles ESCs).
const STRING_SEQUENCE = /(?:\x1b[PX^_]|[\u0090\u0098\u009e\u009f])(?:[^\x1b\u009c]|\x1b(?!\\))*(?:\x1b\\|\u009c)/g;
// nF escapes (ESC, intermediates, final), then every other two-character ESC sequence.
const NF_ESCAPE = /\x1b[\x20-\x2f]+[\x30-\x7e]/g;
const TWO_CHAR_ESCAPE = /\x1b[\x30-\x7e]/g;
// Everything left that a terminal treats as a control: C0 but \t and \n, DEL, C1, lone ESC.
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bracketed-paste markers whose ESC was lost before we saw them (e.g. another tool stripped it).
const PASTE_MARKER = /\[20[01]~/g;
// Lone surrogates cannot be encoded as UTF-8; tmux would receive U+FFFD anyway.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Returns `text` with every terminal control removed: ESC sequences (CSI, OSC, DCS/SOS/PM/APC
 * with their terminators, nF and two-character escapes), C0/C1 controls except `\n` and `\t`,
 * DEL, NUL and bracketed-paste markers (`[200~`, `[201~`, even without their ESC). Line
 * endings become `\n`. Unterminated string sequences lose only their introducer, so no message
 * text disappears because of a stray ESC. Pure and idempotent.
 */
export function sanitizePaneText(text: string): string {
  let out = text.replace(LONE_SURROGATE, '\ufffd').replace(/\r\n?/g, '\n');
  // Remove controls that can sit inside a sequence first, so `ESC NUL [201~` is still seen as
  // one sequence; ESC and BEL (an OSC terminator) stay until the sequences are matched.
  out = out.replace(/[\x00-\x06\x08\x0b-\x1a\x1c-\x1f\x7f]/g, '');
  out = out
    .replace(OSC, '')
    .replace(STRING_SEQUENCE, '')
    .replace(CSI, '')
    .replace(NF_ESCAPE, '')
    .replace(TWO_CHAR_ESCAPE, '')
    .replace(CONTROLS, '');
  // Removing one marker can join the halves of another (`[20[201~1~`), so repeat until stable.
  let previous: string;
  do {
    previous = out;
    out = out.replace(PASTE_MARKER, '');
  } while (out !== previous);
  return out;
}
