// The `agentmux send` entry, built on its own as dist/send.js: bin/agentmux imports this one
// file for `send` instead of resolving, reading and linking the CLI's ~20 chunks, which was
// the largest part of what a send adds to Node's own start-up (bench/send-startup.mjs). An
// agent runs `send` on every hand-off, so this is on the critical path of a reply chain.
// It starts a relay on first use too; what needs the config schemas goes to the full CLI.
import { exitQuietlyOnClosedOutput } from './closed-output.js';
import { runFastPath } from './fast-path.js';

/** Sends; resolves to undefined when done, else to the argv the full CLI should run. */
export async function runSendArgv(argv: string[]): Promise<string[] | undefined> {
  exitQuietlyOnClosedOutput();
  try {
    const outcome = await runFastPath(argv, { sendBundle: true });
    if (outcome === true) return undefined;
    return outcome === false ? argv : outcome;
  } catch {
    // Nothing was sent (sending errors are reported by the fast path): the full CLI redoes
    // the command and reports whatever is wrong with it.
    return argv;
  }
}
