// Argument encoding for the two ways we hand commands to tmux: a control-mode command line
// (tmux command syntax, parsed by the server) and an argv vector (where tmux still treats a
// trailing `;` as a command separator). Both make every argument arrive byte for byte.

// Words tmux reads as themselves; `%` only as a pane id, since a word like `%if` is a directive.
const BARE = /^(?:%\d+|[A-Za-z0-9_@=+,./:-]+)$/;

/**
 * Quotes one argument for a control-mode command line. Double quotes with `\\`, `\"`, `\$` and
 * `\~` escaped (tmux expands `$VAR` and a leading `~` even inside double quotes) and every control
 * character as a three-digit octal escape, so the line never contains a raw newline.
 */
export function quoteControlArgument(argument: string): string {
  if (BARE.test(argument) && !argument.startsWith('~')) return argument;
  let quoted = '"';
  for (const char of argument) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === '"' || char === '$' || char === '~') quoted += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) quoted += `\\${code.toString(8).padStart(3, '0')}`;
    else quoted += char;
  }
  return `${quoted}"`;
}

/** One control-mode command line (without the newline) for `args`, each argument quoted. */
export function formatControlCommand(args: readonly string[]): string {
  return args.map(quoteControlArgument).join(' ');
}

/**
 * Protects an argv argument from tmux's own command splitting: an argument ending in `;` ends
 * the command unless the `;` is preceded by a backslash, which tmux then removes. Only the last
 * character matters, so inserting one backslash before a trailing `;` is exact.
 */
export function escapeArgvArgument(argument: string): string {
  return argument.endsWith(';') ? `${argument.slice(0, -1)}\\;` : argument;
}
