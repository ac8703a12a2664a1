// `agentmux hooks install|remove`: writes or deletes our hook entries in one client's
// settings, touching nothing else (Settled detail 22), and renders them for `--print`.
import { parse } from 'smol-toml';
import type { HookClient } from '../config/index.js';
import { CLAUDE_EVENTS, claudeGroups, claudeSettingsPath } from './claude.js';
import { codexConfigPath, codexNotifyLine, hasCodexNotify, withCodexNotify, withoutCodexNotify } from './codex.js';
import { GEMINI_EVENTS, geminiGroups, geminiSettingsPath, withHooksEnabled } from './gemini.js';
import { ourEvents, withOurHooks, withoutOurHooks, type HookGroup, type JsonObject } from './hook-groups.js';
import { editedText, readJsonSettings, readText, removeFile, writeTextAtomic } from './settings-file.js';

/** Where and for whom hooks are installed. */
export interface HooksTarget {
  client: HookClient;
  /** The agent's working directory (Claude, Gemini). */
  dir: string;
  /** Codex's home ($CODEX_HOME, default ~/.codex). */
  codexHome: string;
  /** Absolute agentmux entry point, used when the agent's AGENTMUX_COMMAND is unset. */
  fallbackEntry?: string;
}

/** What install or remove did. */
export interface HooksOutcome {
  client: HookClient;
  path: string;
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** The events our entries cover after the operation. */
  events: string[];
  notes: string[];
}

/** The configuration `--print` shows: what would be merged into `path`. */
export interface HooksPreview {
  client: HookClient;
  path: string;
  format: 'json' | 'toml';
  snippet: string;
  /** The same, as data (the JSON object, or `{notify: argv}`). */
  config: JsonObject;
}

/** The file `hooks install` edits for this target. */
export function hooksPath(target: HooksTarget): string {
  switch (target.client) {
    case 'claude':
      return claudeSettingsPath(target.dir);
    case 'gemini':
      return geminiSettingsPath(target.dir);
    case 'codex':
      return codexConfigPath(target.codexHome);
    default: {
      const unreachable: never = target.client;
      throw new Error(`unknown hook client ${String(unreachable)}`);
    }
  }
}

/** Writes our entries (idempotent: an identical install leaves the file untouched). */
export function installHooks(target: HooksTarget): HooksOutcome {
  const path = hooksPath(target);
  if (target.client === 'codex') {
    const file = readText(path);
    const line = codexNotifyLine(target.fallbackEntry);
    const had = file.text !== undefined && hasCodexNotify(file.text);
    const next = withCodexNotify(file.text ?? '', line, path);
    if (next.changed) writeTextAtomic(path, next.text);
    return outcome(target, path, next.changed ? (had ? 'updated' : 'installed') : 'unchanged', ['notify'], []);
  }
  const file = readJsonSettings(path);
  const had = ourEvents(file.value).length > 0;
  let value = withOurHooks(file.value, groupsFor(target), path);
  const notes: string[] = [];
  if (target.client === 'gemini') {
    const enabled = withHooksEnabled(value);
    value = enabled.settings;
    if (enabled.note) notes.push(enabled.note);
  } else if (value.disableAllHooks === true) {
    notes.push('disableAllHooks is true in this file: Claude Code will not run any hook');
  }
  const text = editedText(file, value);
  const changed = !file.exists || text !== file.text;
  if (changed) writeTextAtomic(path, text);
  return outcome(target, path, changed ? (had ? 'updated' : 'installed') : 'unchanged', ourEvents(value), notes);
}

/** Deletes our entries only; `absent` when there were none. */
export function removeHooks(target: HooksTarget): HooksOutcome {
  const path = hooksPath(target);
  if (target.client === 'codex') {
    const file = readText(path);
    const next = withoutCodexNotify(file.text ?? '');
    if (next.removed === 0) return outcome(target, path, 'absent', [], []);
    if (next.text.trim() === '') removeFile(path);
    else writeTextAtomic(path, next.text);
    return outcome(target, path, 'removed', [], []);
  }
  const file = readJsonSettings(path);
  const next = withoutOurHooks(file.value);
  if (next.removed === 0) return outcome(target, path, 'absent', [], []);
  if (Object.keys(next.settings).length === 0) removeFile(path);
  else writeTextAtomic(path, editedText(file, next.settings));
  return outcome(target, path, 'removed', [], []);
}

/** What `install` would merge, without touching any file. */
export function previewHooks(target: HooksTarget): HooksPreview {
  const path = hooksPath(target);
  if (target.client === 'codex') {
    const line = codexNotifyLine(target.fallbackEntry);
    return { client: 'codex', path, format: 'toml', snippet: line, config: { notify: parseNotify(line) } };
  }
  const config: JsonObject = {
    ...(target.client === 'gemini' ? { hooksConfig: { enabled: true } } : {}),
    hooks: Object.fromEntries(Object.entries(groupsFor(target)).map(([event, group]) => [event, [group]])),
  };
  return { client: target.client, path, format: 'json', snippet: JSON.stringify(config, null, 2), config };
}

/** The events `hooks install` registers for a client. */
export function installedEvents(client: HookClient): readonly string[] {
  return client === 'claude' ? CLAUDE_EVENTS : client === 'gemini' ? GEMINI_EVENTS : ['notify'];
}

function groupsFor(target: HooksTarget): Record<string, HookGroup> {
  return target.client === 'gemini' ? geminiGroups(target.fallbackEntry) : claudeGroups(target.fallbackEntry);
}

function parseNotify(line: string): string[] {
  return (parse(line) as { notify: string[] }).notify;
}

function outcome(
  target: HooksTarget,
  path: string,
  action: HooksOutcome['action'],
  events: string[],
  notes: string[],
): HooksOutcome {
  return { client: target.client, path, action, events, notes };
}
