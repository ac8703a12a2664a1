// First run: commented starter files, written only where none exist, never overwriting.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { AgentmuxError } from '../core/errors.js';
import { writeFileAtomic } from '../core/safe-file.js';
import { bundleFile, configFile } from './load.js';
import { AGENT_DEFAULT_CONTROLS, OPERATOR_DEFAULT_CONTROLS } from './policy.js';
import { CODER_PRESETS } from './presets.js';
import { comment, renderCodersToml, tomlLines } from './render-toml.js';
import { DEFAULT_DETACH_KEY } from './schemas/tui.js';

/** The bundle the starter tui.toml points at. */
export const STARTER_BUNDLE_ID = 'example';

/** The operator session the starter tui.toml defines. */
export const STARTER_OPERATOR_ID = 'user';

/** Writes each missing starter file (dirs 0700); returns the paths it wrote. */
export function ensureStarterFiles(configDir: string): string[] {
  const files: [string, string][] = [
    [configFile(configDir, 'coders'), renderCodersToml(CODER_PRESETS)],
    [configFile(configDir, 'policies'), renderPoliciesToml()],
    [configFile(configDir, 'tui'), renderTuiToml()],
    [bundleFile(configDir, STARTER_BUNDLE_ID), renderExampleBundleToml()],
  ];
  const written: string[] = [];
  for (const [file, text] of files) {
    if (createNew(file, text)) written.push(file);
  }
  return written;
}

/** The starter policies.toml: `default` (the agent built-in) and `operator`. */
export function renderPoliciesToml(): string {
  return [
    ...comment([
      'agentmux policies: what each session may do. A bundle session picks a preset with',
      '`policy = "<id>"`; without one it gets `default` below, and without that the built-in',
      'for its role. Scopes: none, self, all:home (its bundle), all:all (every bundle).',
      'Controls: find, list, look (read a pane), send, raww (type raw keys), lifecycle',
      '(up/down), grant, history. A control left out takes the built-in of the member',
      "using the preset: an agent's (below) or an operator's (all:home everywhere).",
    ]),
    '',
    'format-version = 1',
    "default = 'default'",
    '',
    '[[policies]]',
    "id = 'default'",
    "description = 'agents: talk to and look at their bundle, nothing more'",
    '',
    '[policies.controls]',
    ...tomlLines(AGENT_DEFAULT_CONTROLS),
    '',
    '[[policies]]',
    "id = 'operator'",
    "description = 'humans: everything in their bundle'",
    '',
    '[policies.controls]',
    ...tomlLines(OPERATOR_DEFAULT_CONTROLS),
    '',
  ].join('\n');
}

/** The starter tui.toml: one operator `user` and the example bundle as default. */
export function renderTuiToml(): string {
  return [
    ...comment([
      'agentmux tui: the human operators, members of every bundle, and dashboard defaults.',
      `detach-key returns from an attached agent pane to the dashboard (default ${DEFAULT_DETACH_KEY}).`,
    ]),
    '',
    'format-version = 1',
    `default-bundle = '${STARTER_BUNDLE_ID}'`,
    `default-session = '${STARTER_OPERATOR_ID}'`,
    `# detach-key = '${DEFAULT_DETACH_KEY}'`,
    '',
    '[[sessions]]',
    `id = '${STARTER_OPERATOR_ID}'`,
    "name = 'Operator'",
    "policy = 'operator'",
    '',
  ].join('\n');
}

/** The starter bundle: no sessions yet, with a commented one to copy. */
export function renderExampleBundleToml(): string {
  return [
    ...comment([
      'agentmux bundle: a team that can message each other, one relay per bundle.',
      'The file name is the bundle id. Add agents as [[sessions]] and run `agentmux up`.',
    ]),
    '',
    'format-version = 1',
    "description = 'an example team; add sessions below'",
    'autostart = false',
    'groups = []',
    '',
    ...comment([
      '[[sessions]]',
      "id = 'alice'                 # letters, digits, _ and -, starting with a letter",
      "name = 'Alice'               # optional display name",
      "directory = '~/src/project'  # working directory; relative paths are under this config dir",
      "coder = 'claude'             # from coders.toml; leave out for an SDK client on the socket",
      "policy = 'default'           # optional, from policies.toml",
    ]),
    '',
  ].join('\n');
}

// Written to a temporary name and hard-linked into place (writeFileAtomic, replace: false): the
// link fails if the file exists, so a concurrent first run never overwrites and no reader sees a half-written file.
function createNew(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    return writeFileAtomic(file, text, { mode: 0o666, replace: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentmuxError('runtime_io_failed', `cannot write the starter file ${file}: ${reason}`, {
      details: { file },
      hint: 'check the permissions of the config directory, or pass --config-directory',
      cause: error,
    });
  }
}
