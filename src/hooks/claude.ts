// Claude Code: hooks in `<dir>/.claude/settings.local.json` (the per-user project file that
// is not committed). Format: https://code.claude.com/docs/en/hooks — `hooks.<Event>` lists
// matcher groups; `matcher` applies to tool events only ("*" = every tool); `timeout` is in
// seconds. Claude feeds a hook's stdout to the model, so `agentmux hook` never writes it.
import { join } from 'node:path';
import { hookShellCommand } from './commands.js';
import type { HookGroup } from './hook-groups.js';

/** The events we register, in the order Claude fires them in a turn. */
export const CLAUDE_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Notification',
  'Stop',
  'SessionEnd',
] as const;

const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse']);

/** Seconds Claude waits for our hook (it gives up by itself after 1 s). */
export const CLAUDE_HOOK_TIMEOUT_S = 5;

/** The settings file `hooks install --client claude` edits for an agent's working directory. */
export function claudeSettingsPath(dir: string): string {
  return join(dir, '.claude', 'settings.local.json');
}

/** Our matcher group per event. */
export function claudeGroups(fallbackEntry?: string): Record<string, HookGroup> {
  const groups: Record<string, HookGroup> = {};
  for (const event of CLAUDE_EVENTS) {
    groups[event] = {
      ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}),
      hooks: [
        { type: 'command', command: hookShellCommand('claude', event, fallbackEntry), timeout: CLAUDE_HOOK_TIMEOUT_S },
      ],
    };
  }
  return groups;
}
