// What `agentmux init` writes: a bundle named after the repository with one session per agent
// CLI, marked with a hash of its own text so a re-run can tell our file from a user's edit.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';

import { commandProgram, findProgram } from './program.js';
import { CODER_PRESETS, type CoderPreset } from './presets.js';
import { comment, renderCoderEntry, tomlLines, tomlString } from './render-toml.js';

const MARKER = /^# agentmux-init: sha256=([0-9a-f]{64})\r?\n?$/m;

/** The coder id of the offline scripted agent (examples/scripted-agent.mjs). */
export const SCRIPTED_CODER_ID = 'scripted';

/** One session `init` writes. */
export interface InitSession {
  id: string;
  coder: string;
}

/** A valid bundle id from a directory name (`my repo` → `my-repo`); `team` when nothing is left. */
export function bundleIdFor(directory: string): string {
  const cleaned = basename(directory)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned === '' ? 'team' : cleaned;
}

/** The presets whose program is on PATH, in preset order. */
export function detectAgentClis(env: NodeJS.ProcessEnv = process.env): CoderPreset[] {
  return CODER_PRESETS.filter((preset) => {
    const command = preset.entry.tmux?.['initial-command'] ?? preset.entry.acp?.command;
    const program = command === undefined ? undefined : commandProgram(command);
    return program !== undefined && findProgram(program, env) !== undefined;
  });
}

/** One session per coder, or `count` sessions of each (`claude-1`, `claude-2`, …). */
export function initSessions(coders: readonly string[], count: number): InitSession[] {
  if (count <= 1) return coders.map((coder) => ({ id: sessionIdFor(coder), coder }));
  return coders.flatMap((coder) =>
    Array.from({ length: count }, (_, index) => ({ id: `${sessionIdFor(coder)}-${index + 1}`, coder })),
  );
}

/** The bundle file text, ending in its marker line. */
export function renderInitBundle(input: {
  id: string;
  directory: string;
  sessions: readonly InitSession[];
  worktree: boolean;
}): string {
  const lines = [
    ...comment([
      `agentmux bundle written by \`agentmux init\` for ${input.directory}.`,
      'Re-running init refreshes this file until you edit it; after that it is kept (--force overwrites).',
      'Add or remove agents with `agentmux add <session> --coder <coder>` / `agentmux rm <session>`.',
      ...(input.worktree
        ? [
            'worktree = true: each agent works in its own git worktree on branch agentmux/<session>,',
            'made at `agentmux up`; `agentmux diff <session>` and `agentmux merge <session>` review and land it.',
          ]
        : []),
    ]),
    '',
    'format-version = 1',
    `description = ${tomlString(`agents for ${basename(input.directory)}`)}`,
    'autostart = false',
    'groups = []',
    `worktree = ${input.worktree}`,
    "# base = 'main'                          # branch worktrees start from and merge into (default: current)",
    "# worktree-include = ['.env', 'node_modules']  # untracked files copied (dirs linked) into new worktrees",
  ];
  for (const session of input.sessions) {
    lines.push('', '[[sessions]]', ...tomlLines({ id: session.id, directory: input.directory, coder: session.coder }));
  }
  return withMarker(`${lines.join('\n')}\n`);
}

/** True when the file still carries init's marker and its text matches it. */
export function isUneditedInitFile(text: string): boolean {
  const match = MARKER.exec(text);
  if (!match) return false;
  return digest(text.replace(MARKER, '')) === match[1];
}

/** The coders.toml entry of the scripted offline agent at `script`. */
export function renderScriptedCoder(script: string): string[] {
  return [
    ...comment(['The offline scripted agent (no model, no network): for trying agentmux out.']),
    '[[coders]]',
    ...tomlLines({ id: SCRIPTED_CODER_ID, description: 'offline scripted agent (examples/scripted-agent.mjs)' }),
    '',
    '[coders.tmux]',
    ...tomlLines({
      'initial-command': `node ${JSON.stringify(script)}`,
      'prompt-regex': '(?m)^agent>',
      'busy-regex': 'thinking…',
      'quiet-window-ms': 300,
      'submit-delay-ms': 60,
      environment: [{ name: 'AGENT_REPLY', value: '1' }],
    }),
  ];
}

/** A preset's `[[coders]]` entry to append to an existing coders.toml. */
export function presetEntryText(id: string): string[] | undefined {
  const preset = CODER_PRESETS.find((candidate) => candidate.entry.id === id);
  return preset === undefined ? undefined : renderCoderEntry(preset);
}

/** tui.toml text with `default-bundle` set to `id` when it is unset or still the starter's. */
export function withDefaultBundle(text: string, id: string, starterId: string): { text: string; changed: boolean } {
  const line = /^default-bundle[ \t]*=[ \t]*(['"])([^'"]*)\1[ \t]*$/m;
  const match = line.exec(text);
  if (match && match[2] !== starterId) return { text, changed: false };
  const wanted = `default-bundle = ${tomlString(id)}`;
  if (match) return { text: text.replace(line, wanted), changed: true };
  // Top-level keys go before the first table.
  const firstTable = text.search(/^[ \t]*\[/m);
  if (firstTable < 0) return { text: `${text.replace(/\n*$/, '\n')}${wanted}\n`, changed: true };
  return { text: `${text.slice(0, firstTable)}${wanted}\n\n${text.slice(firstTable)}`, changed: true };
}

function sessionIdFor(coder: string): string {
  const cleaned = coder.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '');
  return (cleaned === '' ? 'agent' : cleaned).slice(0, 28);
}

function withMarker(text: string): string {
  return `${text}\n# agentmux-init: sha256=${digest(`${text}\n`)}\n`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
