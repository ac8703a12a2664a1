// The CLI entry point: the fast path for `send` and `host relay`, else the full yargs CLI.
// Both load on demand, so a fast command never evaluates yargs or the configuration schemas.
import { fastPathCandidate } from './fast-path-candidate.js';

/** Runs agentmux with `argv` (default: the process arguments). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  if (fastPathCandidate(argv)) {
    const { runFastPath } = await import('./fast-path.js');
    if (await runFastPath(argv)) return;
  }
  const { runCli } = await import('./main.js');
  await runCli(argv);
}
