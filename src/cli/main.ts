// The agentmux command line: global flags, the command list, and exit-code rules
// (0 ok, 1 failure, 2 usage error).
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ackCommand } from './commands/ack.js';
import { addCommand, rmCommand } from './commands/agents.js';
import { approveCommand, denyCommand } from './commands/approve.js';
import { askCommand } from './commands/ask.js';
import { attachCommand } from './commands/attach.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { historyCommand } from './commands/history.js';
import { hookCommand } from './commands/hook.js';
import { hooksCommand } from './commands/hooks.js';
import { hostCommand } from './commands/host.js';
import { initCommand } from './commands/init.js';
import { inboxCommand } from './commands/inbox.js';
import { listCommand } from './commands/list.js';
import { logsCommand } from './commands/logs.js';
import { permissionsCommand } from './commands/permissions.js';
import { primerCommand } from './commands/primer.js';
import { mcpConfigCommand } from './commands/mcp-config.js';
import { lookCommand, rawwCommand } from './commands/look.js';
import { relayCommand } from './commands/relay.js';
import { reloadCommand } from './commands/reload.js';
import { sendCommand } from './commands/send.js';
import { statusCommand } from './commands/status.js';
import { trustCommand, untrustCommand } from './commands/trust.js';
import { bareCommand, tuiCommand } from './commands/tui.js';
import { downCommand, upCommand } from './commands/up.js';
import { waitCommand } from './commands/wait.js';
import { watchCommand } from './commands/watch.js';
import { diffCommand, mergeCommand } from './commands/worktree.js';
import type { GlobalArgs } from './global-args.js';
import { note } from './print/output.js';
import { VERSION } from './version.js';

/** Builds the parser (exported for tests of the command surface). */
export function buildParser(argv: string[]): Argv<GlobalArgs> {
  return yargs(argv)
    .scriptName('agentmux')
    .usage('$0 <command> [options]\n\nLet a team of AI coding agents and their humans message each other.')
    .option('config-directory', {
      type: 'string',
      global: true,
      describe: 'Configuration root (default $AGENTMUX_CONFIG_DIR or ~/.config/agentmux)',
    })
    .option('state-directory', {
      type: 'string',
      global: true,
      describe: 'State root (default $AGENTMUX_STATE_DIR or ~/.local/state/agentmux)',
    })
    .option('bundle', {
      alias: 'b',
      type: 'string',
      global: true,
      describe: 'Bundle (default $AGENTMUX_BUNDLE, then tui.toml)',
    })
    .option('as-session', {
      type: 'string',
      global: true,
      describe: 'Act as this session (default $AGENTMUX_SESSION, then tui.toml)',
    })
    .option('json', { type: 'boolean', default: false, global: true, describe: 'Machine-readable output' })
    .option('autostart', {
      type: 'boolean',
      default: true,
      global: true,
      describe: 'Start the relay when it is not running (--no-autostart to forbid)',
    })
    .command(sendCommand)
    .command(askCommand)
    .command(waitCommand)
    .command(inboxCommand)
    .command(ackCommand)
    .command(historyCommand)
    .command(listCommand)
    .command(watchCommand)
    .command(upCommand)
    .command(downCommand)
    .command(initCommand)
    .command(addCommand)
    .command(rmCommand)
    .command(diffCommand)
    .command(mergeCommand)
    .command(lookCommand)
    .command(rawwCommand)
    .command(permissionsCommand)
    .command(approveCommand)
    .command(denyCommand)
    .command(attachCommand)
    .command(relayCommand)
    .command(reloadCommand)
    .command(hostCommand)
    .command(mcpConfigCommand)
    .command(logsCommand)
    .command(checkCommand)
    .command(primerCommand)
    .command(hooksCommand)
    .command(hookCommand)
    .command(statusCommand)
    .command(trustCommand)
    .command(untrustCommand)
    .command(tuiCommand)
    .command(demoCommand)
    .command(bareCommand())
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      // The error and where to look, not the whole help (whose examples would wrap into it).
      const command = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
      note(`agentmux: validation_invalid_arguments: ${message}`);
      note(`  hint: see \`agentmux ${command ? `${command} ` : ''}--help\``);
      process.exit(2);
    });
}

/** Runs the full CLI (yargs) with `argv`. */
export async function runCli(argv: string[] = hideBin(process.argv)): Promise<void> {
  await buildParser(argv).parseAsync();
}
