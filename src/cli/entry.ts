// The CLI entry point: the fast paths for `send`, `host relay` and the dashboard, else the full
// yargs CLI. All load on demand, so a fast command never evaluates yargs (nor `send` the
// configuration schemas).
import { exitQuietlyOnClosedOutput } from './closed-output.js';
import { fastPathCandidate, tuiCandidate } from './fast-path-candidate.js';

export { exitQuietlyOnClosedOutput };

/** Runs agentmux with `argv` (default: the process arguments). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // The relay logs to its own file and must outlive whoever started it.
  if (!(argv[0] === 'host' && argv[1] === 'relay')) exitQuietlyOnClosedOutput();
  try {
    await dispatch(argv);
  } catch (error) {
    // A chunk that fails to load (a native addon built for another Node) lands here.
    const [{ toAgentmuxError }, { reportError }] = await Promise.all([
      import('../core/errors.js'),
      import('./print/output.js'),
    ]);
    process.exitCode = reportError(toAgentmuxError(error), argv.includes('--json'));
  }
}

async function dispatch(argv: string[]): Promise<void> {
  // Hooks run on every tool use of an agent: no yargs, exit 0 whatever happens.
  if (argv[0] === 'hook' && !argv.includes('--help') && !argv.includes('-h')) {
    const { runHookArgv } = await import('./commands/hook.js');
    await runHookArgv(argv.slice(1));
    return;
  }
  if (fastPathCandidate(argv)) {
    const { runFastPath } = await import('./fast-path.js');
    if ((await runFastPath(argv)) === true) return;
  }
  if (tuiCandidate(argv)) {
    const { runTuiFastPath } = await import('./tui-fast-path.js');
    if (await runTuiFastPath(argv)) return;
  }
  const { runCli } = await import('./main.js');
  await runCli(argv);
}
