// What a terminal must be told after an attached program leaves it: the input and output
// modes tmux or the agent may have switched on and not switched off (kitty keys, mouse, …).

/**
 * SGR reset, OSC 8 close, mouse reporting off, bracketed paste off, focus events off, kitty
 * keys popped, modifyOtherKeys off, cursor keys and keypad normal, cursor shown.
 */
export const TERMINAL_RESET =
  '\u001b[0m' +
  '\u001b]8;;\u001b\\' +
  '\u001b[?1000l\u001b[?1002l\u001b[?1003l\u001b[?1006l' +
  '\u001b[?2004l' +
  '\u001b[?1004l' +
  '\u001b[<u' +
  '\u001b[>4m' +
  '\u001b[?1l' +
  '\u001b>' +
  '\u001b[?25h';
