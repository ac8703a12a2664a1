// `agentmux check`: validates every config file and lists every problem, errors and warnings,
// instead of stopping at the first.
import { isAbsolute, join } from 'node:path';

import { AgentmuxError } from '../core/errors.js';
import { isBundleId } from '../core/ids.js';
import { bundleFile, CONFIG_FILES, configFile, listBundleStems } from './load.js';
import { locateKeyLine } from './locate-key.js';
import { formatKey, makeProblem } from './problems.js';
import type { CodedProblem, ConfigProblem } from './problems.js';
import { commandProgram, findProgram } from './program.js';
import { bundleReferenceProblems, operatorReferenceProblems, rawCoderReferenceProblems } from './references.js';
import type { KnownIds } from './references.js';
import { bundleFileSchema } from './schemas/bundle.js';
import { codersFileSchema } from './schemas/coders.js';
import { policiesFileSchema } from './schemas/policies.js';
import { tuiFileSchema } from './schemas/tui.js';
import { readConfigFile } from './toml-file.js';
import type { ParsedFile } from './toml-file.js';
import type { Coder } from './types.js';

/** The environment `check` looks programs up in (PATH); defaults to the process's. */
export interface CheckOptions {
  env?: NodeJS.ProcessEnv;
}

/** Every problem of every config file under `configDir`, in file order. */
export function checkConfig(configDir: string, options: CheckOptions = {}): ConfigProblem[] {
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const add = (found: readonly (ConfigProblem | CodedProblem)[]) => {
    for (const problem of found) problems.push(stripCode(problem));
  };

  const coders = readConfigFile(configFile(configDir, 'coders'), codersFileSchema);
  add(coders.problems);
  if (coders.missing) {
    add([
      makeProblem(coders.file, 'warning', 'the file is missing, so no session can run an agent', {
        hint: 'run any agentmux command that reads the configuration to write the starter files',
      }),
    ]);
  }
  if (coders.value !== undefined) add(programWarnings(coders, coders.value, env));

  const policies = readConfigFile(configFile(configDir, 'policies'), policiesFileSchema);
  add(policies.problems);
  const policyIds =
    policies.value !== undefined ? new Set(policies.value.presets.keys()) : rawIds(policies, 'policies');

  const tuiFile = configFile(configDir, 'tui');
  const tui = readConfigFile(tuiFile, tuiFileSchema);
  add(tui.problems);
  if (tui.value !== undefined) add(operatorReferenceProblems(tui.value, tui.text, { policies: policyIds, tuiFile }));

  const stems = readBundleStems(configDir, add);
  if (tui.value?.defaultBundle !== undefined && !stems.includes(tui.value.defaultBundle)) {
    const path = ['default-bundle'];
    add([
      makeProblem(tuiFile, 'warning', `default-bundle "${tui.value.defaultBundle}" has no bundle file`, {
        key: formatKey(path),
        line: tui.text === undefined ? undefined : locateKeyLine(tui.text, path),
        hint: `create ${bundleFile(configDir, tui.value.defaultBundle)} or name an existing bundle`,
      }),
    ]);
  }

  const known: KnownIds = {
    coders: coders.value !== undefined ? new Set(coders.value.keys()) : rawIds(coders, 'coders'),
    coderConfigs: coders.value,
    policies: policyIds,
    operators:
      tui.value !== undefined ? new Set(tui.value.operators.map((operator) => operator.id)) : rawIds(tui, 'sessions'),
    tuiFile,
  };
  for (const stem of stems) add(checkBundle(configDir, stem, known));
  if (stems.length === 0) {
    add([
      makeProblem(
        join(configDir, CONFIG_FILES.bundles),
        'warning',
        'there are no bundle files, so there is nothing to start',
        {
          hint: 'add bundles/<bundle>.toml with format-version = 1 and [[sessions]]',
        },
      ),
    ]);
  }
  return problems;
}

function checkBundle(configDir: string, stem: string, known: KnownIds): ConfigProblem[] {
  const file = bundleFile(configDir, stem);
  const problems: ConfigProblem[] = [];
  if (!isBundleId(stem)) {
    problems.push(
      makeProblem(file, 'error', `"${stem}" is not a valid bundle id, so this bundle cannot be used`, {
        hint: 'rename the file: bundle ids start with a letter or digit, then letters, digits, ., _ or -',
      }),
    );
  }
  const bundle = readConfigFile(file, bundleFileSchema({ id: stem, file, configDir }));
  problems.push(...bundle.problems);
  if (bundle.value === undefined) {
    // The file's other mistakes still count: one pass shows them all.
    if (bundle.data !== undefined && known.coders !== undefined)
      problems.push(...rawCoderReferenceProblems(file, bundle.data, bundle.text, known.coders));
    return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
  problems.push(...bundleReferenceProblems(bundle.value, bundle.text, known));
  if (bundle.value.sessions.length === 0) {
    problems.push(
      makeProblem(file, 'warning', 'the bundle has no sessions', {
        hint: 'add [[sessions]] with id, directory and coder; until then it hosts nothing',
      }),
    );
  }
  return problems;
}

function readBundleStems(configDir: string, add: (found: ConfigProblem[]) => void): string[] {
  try {
    return listBundleStems(configDir);
  } catch (error) {
    if (!(error instanceof AgentmuxError)) throw error;
    const file = join(configDir, CONFIG_FILES.bundles);
    const prefix = `${file}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    add([makeProblem(file, 'error', message, { hint: error.hint })]);
    return [];
  }
}

function programWarnings(parsed: ParsedFile<unknown>, coders: ReadonlyMap<string, Coder>, env: NodeJS.ProcessEnv) {
  const warnings: ConfigProblem[] = [];
  [...coders.values()].forEach((coder, index) => {
    const command = coder.kind === 'tmux' ? coder.initialCommand : coder.command;
    const program = commandProgram(command);
    if (program === undefined || !isCheckable(program) || findProgram(program, env) !== undefined) return;
    const path = ['coders', index, coder.kind, coder.kind === 'tmux' ? 'initial-command' : 'command'];
    warnings.push(
      makeProblem(parsed.file, 'warning', `coder "${coder.id}" runs "${program}", which is not on PATH`, {
        key: formatKey(path),
        line: parsed.text === undefined ? undefined : locateKeyLine(parsed.text, path),
        hint: `install ${program}, or ignore this if no bundle uses coder "${coder.id}"`,
      }),
    );
  });
  return warnings;
}

// `$VAR`, `~/…` and `./…` depend on the pane's environment and directory, unknown here.
function isCheckable(program: string): boolean {
  return !program.includes('$') && !program.startsWith('~') && (!program.includes('/') || isAbsolute(program));
}

// The ids a file declares even when some other part of it is invalid, so references to them
// are still checked: none for a missing file (the loaders know none either), undefined
// (do not check) for a file that is not TOML at all.
function rawIds(parsed: ParsedFile<unknown>, arrayKey: string): Set<string> | undefined {
  if (parsed.data === undefined) return parsed.missing ? new Set() : undefined;
  const entries = parsed.data[arrayKey];
  if (!Array.isArray(entries)) return new Set();
  const ids = new Set<string>();
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const id: unknown = (entry as Record<string, unknown>).id;
    if (typeof id === 'string') ids.add(id.trim());
  }
  return ids;
}

function stripCode(problem: ConfigProblem | CodedProblem): ConfigProblem {
  if (!('code' in problem)) return problem;
  const { code: _code, ...rest } = problem;
  return rest;
}
