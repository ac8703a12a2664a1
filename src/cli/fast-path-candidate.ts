// Which command lines may take the fast path; kept apart so the check loads nothing else.

/** True when `argv` may take the fast path (cheap check before loading it). */
export function fastPathCandidate(argv: readonly string[]): boolean {
  if (argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version')) return false;
  return argv[0] === 'send' || (argv[0] === 'host' && argv[1] === 'relay');
}
