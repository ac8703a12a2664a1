// Which command lines may take a fast path; kept apart so the check loads nothing else.

/** True when `argv` may take the fast path (cheap check before loading it). */
export function fastPathCandidate(argv: readonly string[]): boolean {
  if (argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version')) return false;
  return argv[0] === 'send' || (argv[0] === 'host' && argv[1] === 'relay');
}

/** True when `argv` opens the dashboard: `tui`, or no command at all in a terminal. */
export function tuiCandidate(argv: readonly string[]): boolean {
  if (argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version')) return false;
  if (argv[0] === 'tui') return true;
  const noCommand = argv[0] === undefined || argv[0].startsWith('-');
  return noCommand && process.stdin.isTTY === true && process.stdout.isTTY === true;
}
