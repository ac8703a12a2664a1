// `agentmux look` and `agentmux raww`: read an agent's screen; type raw keys into it.
import type { Argv, CommandModule } from 'yargs';
import { AgentmuxError } from '../../core/errors.js';
import type { LookResult, RawwResult } from '../../core/protocol/index.js';
import { connectAs } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

export interface LookArgs extends GlobalArgs {
  target: string;
  lines: number;
}

export interface RawwArgs extends GlobalArgs {
  target: string;
  text?: string | undefined;
  key?: string[] | undefined;
  enter: boolean;
}

/** Captures the target's pane (policy `look`). */
export async function runLook(args: LookArgs): Promise<LookResult> {
  const { client } = await connectAs(args);
  try {
    return await client.request('look', { target: args.target, lines: args.lines });
  } finally {
    client.close();
  }
}

/** Types text and/or keys into the target (policy `raww`), bypassing readiness checks. */
export async function runRaww(args: RawwArgs): Promise<RawwResult> {
  if (args.text === undefined && (args.key ?? []).length === 0) {
    throw new AgentmuxError('validation_invalid_params', 'pass --text TEXT and/or --key NAME');
  }
  const { client } = await connectAs(args);
  try {
    return await client.request('raww', {
      target: args.target,
      ...(args.text === undefined ? {} : { text: args.text }),
      ...(args.key === undefined ? {} : { keys: args.key }),
      enter: args.enter,
    });
  } finally {
    client.close();
  }
}

export const lookCommand: CommandModule<GlobalArgs, LookArgs> = {
  command: 'look <target>',
  describe: "Show an agent's screen",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.positional('target', { type: 'string', demandOption: true, describe: 'Session id' }).option('lines', {
      type: 'number',
      default: 120,
      describe: 'Last N lines (1..1000)',
    }),
  handler: (args) => execute(args, runLook, (result) => emit(args.json, result, (r) => r.lines)),
};

export const rawwCommand: CommandModule<GlobalArgs, RawwArgs> = {
  command: 'raww <target>',
  describe: "Type raw text or keys into an agent's pane (e.g. answer a prompt, /compact)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('target', { type: 'string', demandOption: true, describe: 'Session id' })
      .option('text', { type: 'string', describe: 'Text to type' })
      .option('key', {
        type: 'string',
        array: true,
        describe: 'tmux key name to press after the text (Escape, C-c, Up…)',
      })
      .option('enter', { type: 'boolean', default: true, describe: 'Press Enter after the text (--no-enter to skip)' })
      .example('$0 raww alice --text /compact', 'run a slash command')
      .example('$0 raww alice --key Escape --no-enter', 'press Escape'),
  handler: (args) =>
    execute(args, runRaww, (result) => emit(args.json, result, (r) => [`typed into ${r.target} (${r.transport})`])),
};
