// `agentmux hooks install|remove --client claude|codex|gemini [--dir D] [--print]`: writes
// (or shows) the hook configuration that makes an agent report its state, and removes only
// what it wrote (Settled detail 22). It needs neither the relay nor the agentmux config.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { HookClient } from '../../config/index.js';
import {
  installHooks,
  previewHooks,
  removeHooks,
  type HooksOutcome,
  type HooksPreview,
  type HooksTarget,
} from '../../hooks/install.js';
import { entryPoint } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** Arguments of `hooks install` and `hooks remove`. */
export interface HooksArgs extends GlobalArgs {
  client: HookClient;
  dir?: string | undefined;
  print?: boolean | undefined;
}

/** The target of a hooks command: the agent's directory, Codex's home, our entry point. */
export function hooksTarget(
  args: Pick<HooksArgs, 'client' | 'dir'>,
  env: NodeJS.ProcessEnv = process.env,
): HooksTarget {
  const codexHome = env.CODEX_HOME?.trim() ? resolve(env.CODEX_HOME) : join(homedir(), '.codex');
  return { client: args.client, dir: resolve(args.dir ?? process.cwd()), codexHome, fallbackEntry: entryPoint() };
}

/** `hooks install`: writes our entries, or with --print only shows them. */
export function runHooksInstall(args: HooksArgs): HooksOutcome | HooksPreview {
  const target = hooksTarget(args);
  return args.print ? previewHooks(target) : installHooks(target);
}

/** `hooks remove`: deletes our entries. */
export function runHooksRemove(args: HooksArgs): HooksOutcome {
  return removeHooks(hooksTarget(args));
}

function printHooks(result: HooksOutcome | HooksPreview, args: HooksArgs): void {
  emit(args.json, result, (value) => ('snippet' in value ? previewLines(value) : outcomeLines(value)));
}

function previewLines(preview: HooksPreview): string[] {
  const where = preview.format === 'toml' ? 'add this top-level line to' : 'merge this into';
  return [`# ${where} ${preview.path}`, ...preview.snippet.split('\n')];
}

function outcomeLines(outcome: HooksOutcome): string[] {
  const what: Record<HooksOutcome['action'], string> = {
    installed: 'installed in',
    updated: 'updated in',
    unchanged: 'already installed in',
    removed: 'removed from',
    absent: 'were not installed in',
  };
  const events = outcome.events.length > 0 ? ` (${outcome.events.join(', ')})` : '';
  return [
    `${outcome.client} hooks ${what[outcome.action]} ${outcome.path}${events}`,
    ...outcome.notes.map((n) => `note: ${n}`),
  ];
}

const clientOption = {
  choices: ['claude', 'codex', 'gemini'] as const,
  demandOption: true,
  describe: 'Which agent CLI',
} as const;
const dirOption = {
  type: 'string',
  describe: "The agent's working directory (Claude, Gemini; default: here). Codex uses $CODEX_HOME",
} as const;

const installCommand: CommandModule<GlobalArgs, HooksArgs> = {
  command: 'install',
  describe: "Write the hooks that report an agent's state to agentmux",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('client', clientOption)
      .option('dir', dirOption)
      .option('print', { type: 'boolean', default: false, describe: 'Show the configuration instead of writing it' })
      .example('$0 hooks install --client claude --dir ~/src/app', 'hooks in ~/src/app/.claude/settings.local.json'),
  handler: (args) => execute(args, runHooksInstall, printHooks),
};

const removeCommand: CommandModule<GlobalArgs, HooksArgs> = {
  command: 'remove',
  describe: 'Delete the hooks agentmux wrote (and nothing else)',
  builder: (yargs: Argv<GlobalArgs>) => yargs.option('client', clientOption).option('dir', dirOption),
  handler: (args) => execute(args, runHooksRemove, printHooks),
};

/** `agentmux hooks install|remove`. */
export const hooksCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'hooks <command>',
  describe: 'Install or remove agent CLI hooks (Claude Code, Codex, Gemini CLI)',
  builder: (yargs: Argv<GlobalArgs>) => yargs.command(installCommand).command(removeCommand).demandCommand(1),
  handler: () => undefined,
};
