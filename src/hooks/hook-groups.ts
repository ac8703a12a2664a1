// Editing the `hooks` object that Claude Code and Gemini CLI share in shape:
// `hooks.<Event>` is a list of matcher groups `{matcher?, hooks: [{type, command, …}]}`.
// Only entries whose command carries our marker are touched; everything else, including
// key order, stays as the user wrote it.
import { AgentmuxError } from '../core/errors.js';
import { isAgentmuxHookCommand } from './commands.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** One matcher group as we write it. */
export interface HookGroup {
  matcher?: string;
  hooks: JsonObject[];
}

/** True for a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `settings` without our hook entries; groups, events and `hooks` that only held ours go too. */
export function withoutOurHooks(settings: JsonObject): { settings: JsonObject; removed: number } {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) return { settings, removed: 0 };
  let removed = 0;
  const kept: JsonObject = {};
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      kept[event] = groups;
      continue;
    }
    const keptGroups: unknown[] = [];
    for (const group of groups) {
      const entries = isJsonObject(group) ? group.hooks : undefined;
      if (!isJsonObject(group) || !Array.isArray(entries)) {
        keptGroups.push(group);
        continue;
      }
      const others = entries.filter((entry) => !(isJsonObject(entry) && isAgentmuxHookCommand(entry.command)));
      removed += entries.length - others.length;
      if (others.length === entries.length) keptGroups.push(group);
      else if (others.length > 0) keptGroups.push({ ...group, hooks: others });
    }
    if (keptGroups.length > 0 || groups.length === 0) kept[event] = keptGroups;
  }
  if (removed === 0) return { settings, removed };
  const next: JsonObject = { ...settings, hooks: kept };
  if (Object.keys(kept).length === 0) delete next.hooks;
  return { settings: next, removed };
}

/** `settings` with exactly our groups appended per event (any older entries of ours removed first). */
export function withOurHooks(
  settings: JsonObject,
  groups: Readonly<Record<string, HookGroup>>,
  file: string,
): JsonObject {
  const base = withoutOurHooks(settings).settings;
  const existing = base.hooks;
  if (existing !== undefined && !isJsonObject(existing)) {
    throw invalid(file, '`hooks` is not an object');
  }
  const hooks: JsonObject = { ...(existing ?? {}) };
  for (const [event, group] of Object.entries(groups)) {
    const current: unknown = hooks[event];
    if (current !== undefined && !Array.isArray(current)) throw invalid(file, `\`hooks.${event}\` is not a list`);
    const list: readonly unknown[] = current === undefined ? [] : (current as readonly unknown[]);
    hooks[event] = [...list, group];
  }
  return { ...base, hooks };
}

/** The events that hold at least one of our entries. */
export function ourEvents(settings: JsonObject): string[] {
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) return [];
  return Object.entries(hooks)
    .filter(
      ([, groups]) =>
        Array.isArray(groups) &&
        groups.some(
          (group) =>
            isJsonObject(group) &&
            Array.isArray(group.hooks) &&
            group.hooks.some((entry) => isJsonObject(entry) && isAgentmuxHookCommand(entry.command)),
        ),
    )
    .map(([event]) => event);
}

function invalid(file: string, what: string): AgentmuxError {
  return new AgentmuxError('validation_invalid_config', `${file}: ${what}; agentmux will not rewrite it`, {
    details: { file },
    hint: 'fix the file by hand, or use --print and merge the snippet yourself',
  });
}
