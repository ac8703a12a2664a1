// `agentmux tui` (and bare `agentmux` in a terminal) without yargs: the dashboard takes only the
// global flags, and building the full command line costs ~100 ms before its first frame
// (bench/tui-first-frame.mjs). Anything else (unknown flags, help) returns false and the full
// CLI handles it.
import { parseArgs } from 'node:util';
import { runDashboard } from './commands/tui.js';
import { GLOBAL_OPTIONS, withoutNegations, type GlobalArgs } from './global-args.js';
import { execute } from './run-command.js';

/** Runs the dashboard if `argv` holds nothing but global flags; returns false to fall back. */
export async function runTuiFastPath(argv: readonly string[]): Promise<boolean> {
  const { args, autostart } = withoutNegations(argv[0] === 'tui' ? argv.slice(1) : [...argv]);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: GLOBAL_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch {
    return false;
  }
  const globals: GlobalArgs = {
    ...stringFlag('config-directory', values['config-directory']),
    ...stringFlag('state-directory', values['state-directory']),
    ...stringFlag('bundle', values.bundle),
    ...stringFlag('as-session', values['as-session']),
    json: values.json === true,
    autostart: autostart && values.autostart !== false,
  };
  await execute(globals, runDashboard, (code) => code);
  return true;
}

function stringFlag<K extends string>(key: K, value: unknown): { [key in K]?: string } {
  return typeof value === 'string' ? ({ [key]: value } as { [key in K]?: string }) : {};
}
