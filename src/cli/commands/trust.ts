// `agentmux trust [DIR]`, `agentmux untrust [DIR]` and `agentmux trust --list`: which
// repositories may choose a configuration root through their MCP override file (config_root).
// Recorded in the user's state root, never in the repository (docs/reliability.md, "Trust model").
import { statSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { resolveRoots } from '../../config/roots.js';
import { findWorktreeRoot, listTrusted, trustPath, untrustPath, type TrustedPath } from '../../config/trust.js';
import { currentUid } from '../../runtime/index.js';
import type { GlobalArgs } from '../global-args.js';
import { emit, note } from '../print/output.js';
import { execute } from '../run-command.js';

export interface TrustArgs extends GlobalArgs {
  dir?: string | undefined;
  list?: boolean | undefined;
}

function stateDirOf(args: GlobalArgs): string {
  return resolveRoots({
    configDirectory: '.',
    ...(args['state-directory'] === undefined ? {} : { stateDirectory: args['state-directory'] }),
  }).stateDir;
}

/** DIR as given, else the git worktree around the current directory, else the current directory. */
function targetOf(args: TrustArgs): string {
  if (args.dir !== undefined) return args.dir;
  return findWorktreeRoot(process.cwd()) ?? process.cwd();
}

type TrustOutcome = { listed: TrustedPath[] } | { trusted: TrustedPath; owner: number };

function runTrust(args: TrustArgs): TrustOutcome {
  const stateDir = stateDirOf(args);
  if (args.list) return { listed: listTrusted(stateDir) };
  const trusted = trustPath(stateDir, targetOf(args));
  return { trusted, owner: statSync(trusted.path).uid };
}

function printTrust(outcome: TrustOutcome, args: TrustArgs): void {
  if ('listed' in outcome) {
    emit(args.json, outcome.listed, (paths) =>
      paths.length === 0
        ? ['no trusted paths']
        : paths.map((p) => `${p.path}${p.override_sha256 === null ? '' : ' (override pinned)'}  since ${p.trusted_at}`),
    );
    return;
  }
  if (outcome.owner !== currentUid()) {
    note(`agentmux: note: ${outcome.trusted.path} is owned by uid ${outcome.owner}, not by you`);
  }
  emit(args.json, outcome.trusted, (p) => [
    `trusted ${p.path}${p.override_sha256 === null ? '' : ' and its MCP override as it is now (an edit needs trusting again)'}`,
  ]);
}

/** `agentmux trust [DIR]` / `agentmux trust --list`. */
export const trustCommand: CommandModule<GlobalArgs, TrustArgs> = {
  command: 'trust [dir]',
  describe: "Trust a repository's agentmux files (its MCP override may then choose the config root)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('dir', { type: 'string', describe: 'default: the git worktree around the current directory' })
      .option('list', { type: 'boolean', describe: 'list the trusted paths instead' }),
  handler: (args) => execute(args, runTrust, printTrust),
};

/** `agentmux untrust [DIR]`. */
export const untrustCommand: CommandModule<GlobalArgs, TrustArgs> = {
  command: 'untrust [dir]',
  describe: 'Stop trusting a repository (see `agentmux trust`)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.positional('dir', { type: 'string', describe: 'default: the git worktree around the current directory' }),
  handler: (args) =>
    execute(
      args,
      (a) => {
        const path = targetOf(a);
        return { path, removed: untrustPath(stateDirOf(a), path) };
      },
      (result) => {
        emit(args.json, result, (r) => [r.removed ? `untrusted ${r.path}` : `${r.path} was not trusted`]);
        return result.removed ? 0 : 1;
      },
    ),
};
