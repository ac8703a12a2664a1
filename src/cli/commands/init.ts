// `agentmux init [--dir D] [--agents a,b] [--count N] [--dry-run] [--force]`: from a repository to
// a runnable team in one command. Detects the agent CLIs on PATH, writes a bundle named after the
// repository (one session each), installs hooks and the MCP server for each, and says what to run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import {
  bundleFile,
  CODER_PRESETS,
  configFile,
  ensureStarterFiles,
  loadCoders,
  resolveRoots,
  STARTER_BUNDLE_ID,
  type HookClient,
} from '../../config/index.js';
import {
  bundleIdFor,
  detectAgentClis,
  initSessions,
  isUneditedInitFile,
  presetEntryText,
  renderInitBundle,
  renderScriptedCoder,
  SCRIPTED_CODER_ID,
  withDefaultBundle,
  type InitSession,
} from '../../config/init-bundle.js';
import { AgentmuxError, toAgentmuxError } from '../../core/errors.js';
import { installHooks, previewHooks, writeTextAtomic } from '../../hooks/index.js';
import { entryPoint } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit } from '../print/output.js';
import { execute } from '../run-command.js';

/** `init` flags. */
export interface InitArgs extends GlobalArgs {
  dir?: string | undefined;
  agents?: string | undefined;
  count: number;
  name?: string | undefined;
  worktree?: boolean | undefined;
  'dry-run': boolean;
  force: boolean;
}

/** One file init wrote, would write, or left alone. */
export interface InitFileAction {
  path: string;
  what: string;
  action: 'created' | 'updated' | 'unchanged' | 'kept' | 'installed' | 'skipped';
  note?: string;
}

/** What `init` did (or, with --dry-run, would do). */
export interface InitResult {
  dry_run: boolean;
  directory: string;
  bundle: string | undefined;
  /** Agent CLIs found on PATH. */
  detected: string[];
  sessions: InitSession[];
  worktree: boolean;
  files: InitFileAction[];
  next: string[];
  /** Set when no agent CLI was found and none was asked for. */
  no_agents?: string;
}

/** Plans and (unless dry) writes the team. */
export async function runInit(args: InitArgs): Promise<InitResult> {
  const directory = repositoryOf(resolve(args.dir ?? process.cwd()));
  const roots = resolveRoots({
    ...(args['config-directory'] === undefined ? {} : { configDirectory: args['config-directory'] }),
    ...(args['state-directory'] === undefined ? {} : { stateDirectory: args['state-directory'] }),
  });
  const dry = args['dry-run'];
  const detected = detectAgentClis().map((preset) => preset.entry.id);
  const coders = args.agents === undefined ? detected : splitList(args.agents);
  const isRepo = directory.repo;
  const worktree = args.worktree ?? isRepo;
  const base = { dry_run: dry, directory: directory.path, detected, worktree };
  if (coders.length === 0) {
    return {
      ...base,
      bundle: undefined,
      sessions: [],
      files: [],
      next: ['agentmux demo', 'agentmux init --agents scripted'],
      no_agents: `no agent CLI found on PATH (looked for ${CODER_PRESETS.map((p) => p.entry.id).join(', ')})`,
    };
  }
  if (worktree && !isRepo) {
    throw new AgentmuxError('validation_not_a_repository', `${directory.path} is not a git repository`, {
      hint: 'run init inside a repository, or pass --no-worktree',
    });
  }
  const bundle = args.name ?? bundleIdFor(directory.path);
  const sessions = initSessions(coders, Math.max(1, args.count));
  const files: InitFileAction[] = [];
  if (!dry) {
    for (const path of ensureStarterFiles(roots.configDir))
      files.push({ path, what: 'starter file', action: 'created' });
  }
  files.push(...ensureCoders(roots.configDir, coders, dry));
  const bundlePath = bundleFile(roots.configDir, bundle);
  files.push(
    writeIfOurs(bundlePath, renderInitBundle({ id: bundle, directory: directory.path, sessions, worktree }), args),
  );
  const tui = defaultBundle(roots.configDir, bundle, dry);
  if (tui) files.push(tui);
  files.push(...(await installAgentConfig(directory.path, coders, roots.configDir, dry)));
  const isDefault = tui?.action === 'updated' || tui?.action === 'unchanged';
  const bundleFlag = isDefault ? '' : ` ${bundle}`;
  return {
    ...base,
    bundle,
    sessions,
    files,
    next: [`agentmux up${bundleFlag}`, isDefault ? 'agentmux' : `agentmux --bundle ${bundle}`],
  };
}

function repositoryOf(directory: string): { path: string; repo: boolean } {
  try {
    const top = execFileSync('git', ['-C', directory, 'rev-parse', '--show-toplevel'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return { path: top, repo: true };
  } catch {
    return { path: directory, repo: false };
  }
}

function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

// Coders the team needs but coders.toml lacks are appended from the presets (or the scripted agent).
function ensureCoders(configDir: string, coders: readonly string[], dry: boolean): InitFileAction[] {
  const path = configFile(configDir, 'coders');
  const known = existsSync(path)
    ? new Set(loadCoders(configDir).keys())
    : new Set(CODER_PRESETS.map((p) => p.entry.id));
  const missing = coders.filter((coder) => !known.has(coder));
  if (missing.length === 0) return [];
  const blocks = missing.map((coder) => {
    const text = coder === SCRIPTED_CODER_ID ? renderScriptedCoder(scriptedAgentPath()) : presetEntryText(coder);
    if (text === undefined) {
      throw new AgentmuxError('validation_invalid_arguments', `unknown agent ${coder}`, {
        details: { agent: coder, known: [...known, SCRIPTED_CODER_ID] },
        hint: `add a [[coders]] entry with id = "${coder}" to ${path}, or pick from: ${[...known, SCRIPTED_CODER_ID].join(', ')}`,
      });
    }
    return text.join('\n');
  });
  if (!dry) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : 'format-version = 1\n';
    writeTextAtomic(path, `${current.replace(/\n*$/, '\n\n')}${blocks.join('\n\n')}\n`);
  }
  return [{ path, what: `coders ${missing.join(', ')}`, action: 'updated' }];
}

// Our own file (its marker still matches) is refreshed; a file the user edited is kept.
function writeIfOurs(path: string, text: string, args: InitArgs): InitFileAction {
  const what = 'bundle';
  if (!existsSync(path)) {
    if (!args['dry-run']) writeTextAtomic(path, text);
    return { path, what, action: 'created' };
  }
  const current = readFileSync(path, 'utf8');
  if (current === text) return { path, what, action: 'unchanged' };
  if (!isUneditedInitFile(current) && !args.force) {
    return {
      path,
      what,
      action: 'kept',
      note: 'edited since init wrote it (or not written by init); --force overwrites',
    };
  }
  if (!args['dry-run']) writeTextAtomic(path, text);
  return { path, what, action: 'updated' };
}

function defaultBundle(configDir: string, bundle: string, dry: boolean): InitFileAction | undefined {
  const path = configFile(configDir, 'tui');
  if (!existsSync(path)) return dry ? { path, what: 'default-bundle', action: 'updated' } : undefined;
  const text = readFileSync(path, 'utf8');
  if (new RegExp(`^default-bundle[ \\t]*=[ \\t]*(['"])${bundle.replaceAll('.', '\\.')}\\1`, 'm').test(text)) {
    return { path, what: 'default-bundle', action: 'unchanged' };
  }
  const next = withDefaultBundle(text, bundle, STARTER_BUNDLE_ID);
  if (!next.changed) {
    return { path, what: 'default-bundle', action: 'kept', note: 'another default-bundle is set; name the bundle' };
  }
  if (!dry) writeTextAtomic(path, next.text);
  return { path, what: 'default-bundle', action: 'updated' };
}

async function installAgentConfig(
  directory: string,
  coders: readonly string[],
  configDir: string,
  dry: boolean,
): Promise<InitFileAction[]> {
  const { installMcpConfig } = await import('../../mcp/project-config.js');
  const codexHome = process.env.CODEX_HOME?.trim() ? resolve(process.env.CODEX_HOME) : join(homedir(), '.codex');
  const fallbackEntry = entryPoint();
  const actions: InitFileAction[] = [];
  const clients = new Set(coders.map((coder) => hookClientOf(configDir, coder)).filter((c) => c !== undefined));
  for (const client of clients) {
    const target = { client, dir: directory, codexHome, fallbackEntry };
    try {
      const done = dry ? { ...previewHooks(target), action: 'installed' as const } : installHooks(target);
      actions.push({
        path: done.path,
        what: `${client} hooks`,
        action: done.action === 'unchanged' ? 'unchanged' : 'installed',
      });
    } catch (error) {
      const failure = toAgentmuxError(error);
      actions.push({
        path: previewHooks(target).path,
        what: `${client} hooks`,
        action: 'skipped',
        note: failure.message,
      });
    }
    try {
      for (const done of installMcpConfig({
        client,
        dir: directory,
        codexHome,
        command: fallbackEntry,
        dryRun: dry,
      })) {
        actions.push({
          path: done.path,
          what: `${client} MCP server`,
          action: done.action,
          ...(done.note ? { note: done.note } : {}),
        });
      }
    } catch (error) {
      actions.push({
        path: directory,
        what: `${client} MCP server`,
        action: 'skipped',
        note: toAgentmuxError(error).message,
      });
    }
  }
  return actions;
}

function hookClientOf(configDir: string, coder: string): HookClient | undefined {
  try {
    const configured = loadCoders(configDir).get(coder);
    if (configured !== undefined) return configured.kind === 'tmux' ? configured.hooks : undefined;
  } catch {
    // An unreadable coders.toml: fall back to the preset.
  }
  return CODER_PRESETS.find((preset) => preset.entry.id === coder)?.entry.tmux?.hooks;
}

function scriptedAgentPath(): string {
  // bin/agentmux → the package root → examples/ (shipped in the package's `files`).
  return join(dirname(dirname(entryPoint())), 'examples', 'scripted-agent.mjs');
}

function initLines(result: InitResult): string[] {
  if (result.no_agents !== undefined) {
    return [
      `agentmux: ${result.no_agents}.`,
      'Install Claude Code, Codex CLI, Gemini CLI or opencode, or try agentmux offline: the demo team,',
      'or a team of scripted agents on this repository:',
      ...result.next.map((line) => `  ${line}`),
    ];
  }
  const verb = result.dry_run ? 'would write' : 'wrote';
  return [
    `bundle ${result.bundle ?? ''} for ${result.directory}${result.worktree ? ' (a git worktree per agent)' : ''}`,
    ...result.sessions.map((s) => `  session ${s.id.padEnd(16)} coder ${s.coder}`),
    `${result.dry_run ? 'dry run: nothing written' : 'files'}:`,
    ...result.files.map(
      (f) =>
        `  ${(f.action === 'created' || f.action === 'updated' || f.action === 'installed' ? verb : f.action).padEnd(11)} ${f.what.padEnd(20)} ${f.path}${f.note ? ` — ${f.note}` : ''}`,
    ),
    'next:',
    ...result.next.map((line) => `  ${line}`),
  ];
}

/** The `init` command module. */
export const initCommand: CommandModule<GlobalArgs, InitArgs> = {
  command: 'init',
  describe: 'Set up a team for a repository: one agent per agent CLI found on PATH',
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('dir', { type: 'string', describe: 'The repository (default: here)' })
      .option('agents', {
        type: 'string',
        describe: 'Coders to use, comma-separated (default: the CLIs on PATH; scripted: offline)',
      })
      .option('count', { type: 'number', default: 1, describe: 'Sessions per coder' })
      .option('name', { type: 'string', describe: 'Bundle id (default: the repository directory name)' })
      .option('worktree', { type: 'boolean', describe: 'A git worktree per agent (default: on in a git repository)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would be written' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Overwrite a bundle file edited since init wrote it',
      })
      .example('$0 init', 'a bundle named after this repository with the agent CLIs found on PATH')
      .example('$0 init --agents claude --count 3', 'three Claude Code agents, each in its own worktree'),
  handler: (args) =>
    execute(args, runInit, (result) => {
      emit(args.json, result, initLines);
      return result.no_agents === undefined ? 0 : 1;
    }),
};
