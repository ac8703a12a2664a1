// Runs a command's work, prints its result and maps failures to exit codes, so every
// handler stays two lines.
import { toAgentmuxError } from '../core/errors.js';
import type { GlobalArgs } from './global-args.js';
import { reportError } from './print/output.js';

/** Runs `work`; on success hands the value to `print` (which may return an exit code). */
export async function execute<A extends GlobalArgs, T>(
  args: A,
  work: (args: A) => Promise<T> | T,
  print: (value: T, args: A) => number | void,
): Promise<void> {
  try {
    const value = await work(args);
    const code = print(value, args);
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    process.exitCode = reportError(toAgentmuxError(error), args.json);
  }
}
