// Writes TOML by hand (smol-toml's stringify cannot keep comments) for the starter files,
// preferring literal strings so regexes read as they are written.
import type { CoderPreset } from './presets.js';
import { ACP_DEFAULTS, CODER_SESSION_PLACEHOLDER, TMUX_DEFAULTS } from './schemas/coders.js';

/** A TOML value the starter files use. */
export type TomlValue = string | number | boolean | readonly TomlValue[] | { readonly [key: string]: TomlValue };

/** A string as TOML: a literal '…' string when possible, else a basic "…" string. */
export function tomlString(value: string): string {
  // JSON escapes (\n, \", \\, \uXXXX) are all valid TOML basic-string escapes.
  if (/['\p{Cc}]/u.test(value)) return JSON.stringify(value).replaceAll('\u007f', '\\u007f');
  return `'${value}'`;
}

/** A key as TOML: bare when it can be, quoted otherwise. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Any value on one line (arrays and tables inline). */
export function tomlValue(value: TomlValue): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  const pairs = Object.entries(value).map(([key, item]) => `${tomlKey(key)} = ${tomlValue(item)}`);
  return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
}

/** `key = value` lines for the defined entries of a table. */
export function tomlLines(table: { readonly [key: string]: TomlValue | undefined }): string[] {
  return Object.entries(table)
    .filter((entry): entry is [string, TomlValue] => entry[1] !== undefined)
    .map(([key, value]) => `${tomlKey(key)} = ${tomlValue(value)}`);
}

/** `# text` lines. */
export function comment(lines: readonly string[]): string[] {
  return lines.map((line) => (line === '' ? '#' : `# ${line}`));
}

const CODERS_HEADER = [
  'agentmux coders: launch profiles for agent programs. A bundle session names one with',
  '`coder = "<id>"`. Each [[coders]] entry has `id`, an optional `description` and exactly one',
  'of two tables:',
  '',
  '[coders.tmux]: a terminal program in a tmux pane, reached by pasting into it.',
  `  initial-command        shell command line that starts it (required)`,
  `  resume-command         used when the session has coder-session-id; ${CODER_SESSION_PLACEHOLDER} is replaced`,
  '  prompt-regex           must match the last prompt-inspect-lines lines before a message is pasted',
  `  prompt-inspect-lines   default ${TMUX_DEFAULTS.promptInspectLines}`,
  '  prompt-idle-column     cursor column (0-based) of an empty composer',
  `  quiet-window-ms        how long the screen must be still; default ${TMUX_DEFAULTS.quietWindowMs}`,
  '  busy-regex             the agent is working (tested on the whole screen, first)',
  '  waiting-regex          a dialog waits for a human; nothing is typed then (tested second)',
  '  empty-composer-regex   the composer holds no draft (tested on the last lines, last)',
  `  submit-delay-ms        wait between paste and Enter; default ${TMUX_DEFAULTS.submitDelayMs}`,
  `  submit-retries         extra Enters when a submit is not confirmed; default ${TMUX_DEFAULTS.submitRetries}`,
  '  clear-keys             keys that clear an unsubmitted draft, e.g. ["C-u"]',
  '  newline-keys           paste = false: keys for a line break, e.g. ["C-j"]; default: typed as " ⏎ "',
  `  paste                  paste-buffer (true) or send-keys -l (false); default ${TMUX_DEFAULTS.paste}`,
  '  delivery-timeout-ms    give up waiting for a busy agent after this long; default: never',
  `  attempt-timeout-ms     bound on each paste-and-confirm attempt; default ${TMUX_DEFAULTS.attemptTimeoutMs}`,
  `  hook-stale-ms          trust the screen over a hook state this old; default ${TMUX_DEFAULTS.hookStaleMs}`,
  `  detector               generic | claude | codex | gemini; default ${TMUX_DEFAULTS.detector}`,
  '  hooks                  claude | codex | gemini: which `agentmux hook --client` it reports through',
  '  environment            [{ name = "NAME", value = "value" }, …] added to the pane',
  '',
  '[coders.acp]: an Agent Client Protocol agent the relay runs and prompts.',
  `  channel                ${ACP_DEFAULTS.channel} (the only one)`,
  '  command                shell command line that starts it (required)',
  '  environment            as above',
  `  turn-timeout-ms        default ${ACP_DEFAULTS.turnTimeoutMs}`,
  `  permission-timeout-ms  default ${ACP_DEFAULTS.permissionTimeoutMs}`,
  `  permission-default     reject | allow, chosen when no operator answers; default ${ACP_DEFAULTS.permissionDefault}`,
  '',
  'Regexes are JavaScript regexes; a leading (?i), (?m), (?s) or (?ms) group sets flags.',
  "Literal strings ('…') keep backslashes as written.",
];

/** A commented coders.toml holding `presets`. */
export function renderCodersToml(presets: readonly CoderPreset[]): string {
  const lines = [...comment(CODERS_HEADER), '', 'format-version = 1'];
  for (const preset of presets) lines.push('', ...renderCoderEntry(preset));
  return `${lines.join('\n')}\n`;
}

/** One preset's commented `[[coders]]` entry, as lines. */
export function renderCoderEntry(preset: CoderPreset): string[] {
  const { tmux, acp, ...entry } = preset.entry;
  const lines = [...comment(preset.notes), '[[coders]]', ...tomlLines(entry)];
  if (tmux !== undefined) lines.push('', '[coders.tmux]', ...tomlLines(tmux));
  if (acp !== undefined) lines.push('', '[coders.acp]', ...tomlLines(acp));
  return lines;
}

function isArray(value: TomlValue): value is readonly TomlValue[] {
  return Array.isArray(value);
}
