// `agentmux check`: validates every configuration file and lists each problem.
import type { Argv, CommandModule } from 'yargs';
import { checkConfig, type ConfigProblem } from '../../config/index.js';
import { rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** The problems found, errors first. */
export function runCheck(args: GlobalArgs): { configDir: string; problems: ConfigProblem[] } {
  const roots = rootsOf(args);
  const problems = checkConfig(roots.configDir).sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return { configDir: roots.configDir, problems };
}

/** Exit 1 when any problem is an error. */
export function printCheck(result: { configDir: string; problems: ConfigProblem[] }, args: GlobalArgs): number {
  emit(args.json, result, ({ configDir, problems }) =>
    problems.length === 0
      ? [`${configDir}: configuration is valid`]
      : problems.map((p) => {
          const where = `${p.file}${p.line === undefined ? '' : `:${p.line}`}`;
          return `${where}: ${p.severity}: ${p.key ? `${p.key}: ` : ''}${p.message}${p.hint ? ` (hint: ${p.hint})` : ''}`;
        }),
  );
  return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

export const checkCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'check',
  describe: 'Validate the configuration files',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) => execute(args, runCheck, printCheck),
};
