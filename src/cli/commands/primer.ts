// `agentmux primer`: the team primer an agent gets at start (also the MCP server's instructions),
// for a coder's initial command, e.g. claude --append-system-prompt "$("$AGENTMUX_COMMAND" primer)".
import type { Argv, CommandModule } from 'yargs';
import { loadTeam, teamPrimer } from '../../config/index.js';
import { bundleOf, rootsOf, sessionOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** The primer of the acting session; reads configuration only, never starts a relay. */
export function runPrimer(args: GlobalArgs): { session: string; bundle: string; primer: string } {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const { session } = sessionOf(args, roots);
  return { session, bundle, primer: teamPrimer(loadTeam(roots.configDir, bundle), session) };
}

export const primerCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'primer',
  describe: 'Print the team primer of the acting session (who the teammates are, how to reach them)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runPrimer, (result) => emit(args.json, result, (r) => [r.primer])),
};
