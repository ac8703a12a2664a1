// `agentmux add SESSION --coder C [--worktree]` and `agentmux rm SESSION`: change a team while it
// runs. The bundle file is edited as text (comments and layout kept), then the relay starts or
// stops that one agent.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { bundleFile, loadBundle, loadCoders } from '../../config/index.js';
import { appendSession, removeSession, type SessionEntry } from '../../config/bundle-edit.js';
import { isSessionId } from '../../core/ids.js';
import { AgentmuxError, toAgentmuxError } from '../../core/errors.js';
import type { SessionOutcome } from '../../core/protocol/index.js';
import type { RelayClient } from '../../client/index.js';
import { writeTextAtomic } from '../../hooks/index.js';
import { bundlePaths, isSocketConnectable } from '../../runtime/index.js';
import { cleanWorktree, worktreePlan, type CleanOutcome } from '../../workspace/index.js';
import { bundleOf, connectAs, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';
import { runRelayStop } from './relay.js';
import { reloadThrough } from './reload.js';
import { paneEnvironment } from './up.js';

/** `add` flags. */
export interface AddArgs extends GlobalArgs {
  session: string;
  coder: string;
  dir?: string | undefined;
  worktree?: boolean | undefined;
  base?: string | undefined;
  name?: string | undefined;
  start: boolean;
}

/** `rm` flags. */
export interface RmArgs extends GlobalArgs {
  session: string;
  force: boolean;
}

/** What add or rm did. */
export interface AgentChange {
  bundle: string;
  session: string;
  file: string;
  action: 'added' | 'removed';
  /** The relay's outcome for the agent (created, stopped, absent…); undefined when not asked. */
  agent?: SessionOutcome | undefined;
  /** rm: what happened to its worktree. */
  worktree?: CleanOutcome | undefined;
  notes: string[];
}

/** Adds a `[[sessions]]` block and starts the agent. */
export async function runAdd(args: AddArgs): Promise<AgentChange> {
  if (!isSessionId(args.session)) {
    throw new AgentmuxError('validation_invalid_arguments', `"${args.session}" is not a valid session id`, {
      hint: 'session ids start with a letter, then up to 30 letters, digits, _ or -',
    });
  }
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const current = loadBundle(roots.configDir, bundle);
  if (!loadCoders(roots.configDir).has(args.coder)) {
    throw new AgentmuxError('validation_invalid_arguments', `unknown coder ${args.coder}`, {
      details: { coder: args.coder },
      hint: 'coders are the [[coders]] entries of coders.toml',
    });
  }
  const directory = resolve(args.dir ?? current.sessions[0]?.directory ?? process.cwd());
  const entry: SessionEntry = {
    id: args.session,
    ...(args.name === undefined ? {} : { name: args.name }),
    directory,
    coder: args.coder,
    ...(args.worktree === undefined ? {} : { worktree: args.worktree }),
    ...(args.base === undefined ? {} : { base: args.base }),
  };
  const file = bundleFile(roots.configDir, bundle);
  const before = readFileSync(file, 'utf8');
  writeTextAtomic(file, appendSession(before, entry, file));
  try {
    loadBundle(roots.configDir, bundle);
  } catch (error) {
    writeTextAtomic(file, before);
    throw error;
  }
  const change: AgentChange = { bundle, session: args.session, file, action: 'added', notes: [] };
  if (!args.start) return change;
  return { ...change, agent: await startAgent({ ...args, bundle }, change.notes) };
}

/** Stops the agent, removes its worktree if merged and clean, and deletes its `[[sessions]]` block. */
export async function runRm(args: RmArgs): Promise<AgentChange> {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const config = loadBundle(roots.configDir, bundle);
  const session = config.sessions.find((s) => s.id === args.session);
  const file = bundleFile(roots.configDir, bundle);
  if (session === undefined) {
    throw new AgentmuxError('validation_unknown_session', `session ${args.session} is not in bundle ${bundle}`, {
      details: { session: args.session, file },
    });
  }
  const notes: string[] = [];
  let agent: SessionOutcome | undefined;
  if (await isSocketConnectable(bundlePaths(roots.stateDir, bundle).socket)) {
    const { client } = await connectAs({ ...args, bundle }, { autoStart: false });
    try {
      const result = await client.request('down', { sessions: [args.session] }, { timeoutMs: 60_000 });
      agent = result.sessions.find((s) => s.id === args.session);
    } catch (error) {
      notes.push(`could not stop ${args.session}: ${toAgentmuxError(error).message}`);
    } finally {
      client.close();
    }
  }
  const plan = worktreePlan(config, session, roots.stateDir);
  const worktree = plan === undefined ? undefined : await cleanWorktree(plan, args.force);
  if (worktree?.action === 'kept') notes.push(`kept its worktree ${worktree.path} (${worktree.reason ?? ''})`);
  writeTextAtomic(file, removeSession(readFileSync(file, 'utf8'), args.session, file));
  // The running relay forgets the session now, not at its next reload (list, dashboard, send).
  if (await isSocketConnectable(bundlePaths(roots.stateDir, bundle).socket)) {
    await reloadRelay({ ...args, bundle }, false).then(
      (client) => client.close(),
      (error: unknown) => {
        notes.push(`the relay still lists ${args.session} until it reloads: ${toAgentmuxError(error).message}`);
      },
    );
  }
  return { bundle, session: args.session, file, action: 'removed', agent, worktree, notes };
}

/** Makes the running relay read the edited bundle file; returns a client of the (restarted) relay. */
async function reloadRelay(args: GlobalArgs, autoStart: boolean): Promise<RelayClient> {
  const connect = async (): Promise<RelayClient> => (await connectAs(args, { autoStart })).client;
  const first = await connect();
  try {
    return (await reloadThrough(first, connect)).client;
  } catch (error) {
    first.close();
    throw error;
  }
}

// The relay learns about a new session when it reloads its configuration (as `up` does first);
// a relay that cannot reload is restarted (agents keep running across a relay restart).
async function startAgent(args: AddArgs, notes: string[]): Promise<SessionOutcome | undefined> {
  const up = async (): Promise<SessionOutcome | undefined> => {
    const client = await reloadRelay(args, args.autostart);
    try {
      const size = process.stdout.isTTY ? { cols: process.stdout.columns, rows: process.stdout.rows } : {};
      const result = await client.request(
        'up',
        { sessions: [args.session], cwd: process.cwd(), env: paneEnvironment(), ...size },
        { timeoutMs: 120_000 },
      );
      return result.sessions.find((s) => s.id === args.session);
    } finally {
      client.close();
    }
  };
  try {
    return await up();
  } catch (error) {
    if (toAgentmuxError(error).code !== 'validation_unknown_session') throw error;
    notes.push('restarted the relay to load the new session (running agents were kept)');
    await runRelayStop(args);
    return up();
  }
}

function changeLines(change: AgentChange): string[] {
  const verb = change.action === 'added' ? 'added to' : 'removed from';
  const agent = change.agent
    ? [`  agent ${change.agent.outcome}${change.agent.reason ? ` — ${change.agent.reason}` : ''}`]
    : [];
  const worktree = change.worktree ? [`  worktree ${change.worktree.action} ${change.worktree.path}`] : [];
  return [
    `${change.session} ${verb} ${change.file}`,
    ...agent,
    ...worktree,
    ...change.notes.map((n) => `  note: ${n}`),
  ];
}

function exitCode(change: AgentChange): number {
  return change.agent?.outcome === 'failed' ? 1 : 0;
}

/** The `add` command module. */
export const addCommand: CommandModule<GlobalArgs, AddArgs> = {
  command: 'add <session>',
  describe: 'Add an agent to the bundle file (comments kept) and start it',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('session', { type: 'string', demandOption: true, describe: 'New session id' })
      .option('coder', { type: 'string', demandOption: true, describe: 'A coder from coders.toml' })
      .option('dir', { type: 'string', describe: "Working directory (default: the bundle's first session's)" })
      .option('worktree', { type: 'boolean', describe: 'Work in its own git worktree (default: the bundle’s setting)' })
      .option('base', { type: 'string', describe: 'Branch its worktree starts from and merges into' })
      .option('name', { type: 'string', describe: 'Display name' })
      .option('start', { type: 'boolean', default: true, describe: 'Start it now (--no-start: only edit the file)' }),
  handler: (args) =>
    execute(args, runAdd, (change) => {
      emit(args.json, change, changeLines);
      return exitCode(change);
    }),
};

/** The `rm` command module. */
export const rmCommand: CommandModule<GlobalArgs, RmArgs> = {
  command: 'rm <session>',
  describe: 'Stop an agent and remove it from the bundle file (its unmerged worktree is kept)',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .positional('session', { type: 'string', demandOption: true, describe: 'Session id' })
      .option('force', { type: 'boolean', default: false, describe: 'Also remove a worktree with unmerged work' }),
  handler: (args) => execute(args, runRm, (change) => emit(args.json, change, changeLines)),
};
