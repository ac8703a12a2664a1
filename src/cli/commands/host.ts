// `agentmux host relay`: the relay daemon in the foreground (auto-start runs it detached).
import type { Argv, CommandModule } from 'yargs';
import { bundleOf, entryPoint, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emitLine } from '../print/output.js';
import { execute } from '../run-command.js';
import { VERSION } from '../version.js';
import { hostMcpCommand } from './host-mcp.js';

/** Runs the relay until SIGINT/SIGTERM or `relay stop`. */
export async function runHostRelay(args: GlobalArgs): Promise<number> {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const { runRelayHost } = await import('../../relay/host.js');
  return runRelayHost({
    bundle,
    configDir: roots.configDir,
    stateDir: roots.stateDir,
    version: VERSION,
    entryPoint: entryPoint(),
    autostart: args.autostart,
    onReady: (summary) => emitLine({ event: 'relay.ready', ...summary }),
  });
}

const hostRelayCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'relay',
  describe: 'Run the relay for --bundle in the foreground',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runHostRelay, (code) => code),
};

export const hostCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'host <service>',
  describe: 'Run an agentmux service (relay, mcp)',
  builder: (yargs: Argv<GlobalArgs>) => yargs.command(hostRelayCommand).command(hostMcpCommand).demandCommand(1),
  handler: () => undefined,
};
