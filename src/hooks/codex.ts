// Codex CLI: one top-level `notify = [argv…]` in `$CODEX_HOME/config.toml` (default
// ~/.codex). Codex runs it after each agent turn with the event JSON appended as the last
// argument (https://github.com/openai/codex/blob/main/docs/config.md#notify). The file is
// the user's global config, so it is edited as text: one marked line is added or removed and
// nothing else is re-serialised. A `notify` that is not ours is never replaced.
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { AgentmuxError } from '../core/errors.js';
import { HOOK_MARKER, codexNotifyArgv } from './commands.js';

/** The config file `hooks install --client codex` edits. */
export function codexConfigPath(codexHome: string): string {
  return join(codexHome, 'config.toml');
}

const BOM = '\uFEFF';
const OUR_LINE = new RegExp(`^\\uFEFF?[ \\t]*notify[ \\t]*=.*#[ \\t]*${HOOK_MARKER}\\b`);

/** Our `notify` line, marked with a TOML comment so `hooks remove` finds it. */
export function codexNotifyLine(fallbackEntry?: string): string {
  const argv = codexNotifyArgv(fallbackEntry).map((arg) => JSON.stringify(arg));
  return `notify = [${argv.join(', ')}] # ${HOOK_MARKER}: agentmux hooks remove --client codex deletes this line`;
}

/** `text` with our notify line (replacing an older one of ours); refuses a foreign `notify`. */
export function withCodexNotify(text: string, line: string, file: string): { text: string; changed: boolean } {
  const parsed = parseToml(text, file);
  const { lines, eol } = splitLines(text);
  const ours = lines.filter((candidate) => OUR_LINE.test(candidate));
  if (parsed.notify !== undefined && ours.length === 0) {
    throw new AgentmuxError('validation_hooks_conflict', `${file} already sets notify; agentmux will not replace it`, {
      details: { file, existing: parsed.notify, snippet: line },
      hint: `Codex runs one notify program. Replace yours with this line, or call agentmux from your program:\n    ${line}`,
    });
  }
  if (ours.length === 1 && ours[0] === line) return { text, changed: false };
  const kept = lines.filter((candidate) => !OUR_LINE.test(candidate));
  // Top-level keys must come before the first table; right after the leading comments always is.
  let at = 0;
  while (at < kept.length && (kept[at] ?? '').replace(BOM, '').trimStart().startsWith('#')) at += 1;
  if (at === 0 && kept[0]?.startsWith(BOM)) {
    kept[0] = kept[0].slice(BOM.length);
    kept.splice(0, 0, BOM + line);
  } else kept.splice(at, 0, line);
  const next = joinLines(kept, eol, text);
  parseToml(next, file);
  return { text: next, changed: true };
}

/** `text` without our notify line. */
export function withoutCodexNotify(text: string): { text: string; removed: number } {
  const { lines, eol } = splitLines(text);
  const kept = lines.filter((candidate) => !OUR_LINE.test(candidate));
  const removed = lines.length - kept.length;
  if (removed === 0) return { text, removed };
  if (lines[0]?.startsWith(BOM) && kept.length > 0 && !kept[0]?.startsWith(BOM)) kept[0] = BOM + (kept[0] ?? '');
  return { text: joinLines(kept, eol, text), removed };
}

/** True when `text` holds our notify line. */
export function hasCodexNotify(text: string): boolean {
  return splitLines(text).lines.some((candidate) => OUR_LINE.test(candidate));
}

function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text);
  } catch (error) {
    throw new AgentmuxError('validation_invalid_config', `${file} is not valid TOML; agentmux will not edit it`, {
      details: { file, error: error instanceof Error ? error.message.split('\n')[0] : String(error) },
    });
  }
}

function splitLines(text: string): { lines: string[]; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = text.endsWith(eol) ? text.slice(0, -eol.length) : text;
  return { lines: body === '' ? [] : body.split(eol), eol };
}

function joinLines(lines: string[], eol: string, original: string): string {
  if (lines.length === 0) return '';
  const trailing = original === '' || original.endsWith(eol) ? eol : '';
  return lines.join(eol) + trailing;
}
