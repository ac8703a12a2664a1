// `agentmux demo [--keep]`: the offline demo team (scripted agents in tmux, no API keys),
// runnable from an installed agentmux as well as from a checkout (`npm run demo`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AgentmuxError } from '../../core/errors.js';
import type { GlobalArgs } from '../global-args.js';
import { execute } from '../run-command.js';

export interface DemoArgs extends GlobalArgs {
  keep?: boolean | undefined;
}

/** The demo script shipped beside the entry point (bin/ and examples/ are siblings). */
export function demoScriptPath(entry = process.env.AGENTMUX_ENTRY ?? process.argv[1] ?? ''): string {
  return resolve(dirname(entry), '..', 'examples', 'demo', 'run.mjs');
}

/** Runs the demo in this terminal; resolves with its exit code. */
export async function runDemo(args: DemoArgs): Promise<number> {
  const script = demoScriptPath();
  if (!existsSync(script)) {
    throw new AgentmuxError('runtime_io_failed', `the demo is missing from this installation (${script})`, {
      details: { path: script },
    });
  }
  const child = spawn(process.execPath, [script, ...(args.keep === true ? ['--keep'] : [])], { stdio: 'inherit' });
  // The demo cleans up on SIGINT itself; this process only waits for it.
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  try {
    return await new Promise<number>((resolvePromise, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', ignore);
  }
}

export const demoCommand: CommandModule<GlobalArgs, DemoArgs> = {
  command: 'demo',
  describe: 'Run the offline demo: three scripted agents in tmux hand a task along (no API keys)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.option('keep', { type: 'boolean', describe: 'Leave the team running and print how to attach' }),
  handler: (args) => execute(args, runDemo, (code) => code),
};
