// Gemini CLI: hooks in `<dir>/.gemini/settings.json`, switched on by `hooksConfig.enabled`.
// Format: https://geminicli.com/docs/hooks/reference — `hooks.<Event>` lists definitions
// `{matcher?, sequential?, hooks: [{type: "command", command, name?, timeout? (ms), description?}]}`;
// without a matcher a definition applies to every tool. Gemini reads project settings only
// in trusted folders.
import { join } from 'node:path';
import { HOOK_MARKER, hookShellCommand } from './commands.js';
import { isJsonObject, type HookGroup, type JsonObject } from './hook-groups.js';

/** The events we register, in the order Gemini fires them in a turn. */
export const GEMINI_EVENTS = [
  'SessionStart',
  'BeforeAgent',
  'BeforeTool',
  'AfterTool',
  'Notification',
  'AfterAgent',
  'SessionEnd',
] as const;

/** Milliseconds Gemini waits for our hook (it gives up by itself after 1 s). */
export const GEMINI_HOOK_TIMEOUT_MS = 5000;

/** The settings file `hooks install --client gemini` edits for an agent's working directory. */
export function geminiSettingsPath(dir: string): string {
  return join(dir, '.gemini', 'settings.json');
}

/** Our hook definition per event. */
export function geminiGroups(fallbackEntry?: string): Record<string, HookGroup> {
  const groups: Record<string, HookGroup> = {};
  for (const event of GEMINI_EVENTS) {
    groups[event] = {
      hooks: [
        {
          name: HOOK_MARKER,
          type: 'command',
          command: hookShellCommand('gemini', event, fallbackEntry),
          timeout: GEMINI_HOOK_TIMEOUT_MS,
          description: 'reports busy/idle/waiting to the agentmux relay',
        },
      ],
    };
  }
  return groups;
}

/** `settings` with `hooksConfig.enabled: true`; says so when it overrode an explicit false. */
export function withHooksEnabled(settings: JsonObject): { settings: JsonObject; note?: string } {
  const config = isJsonObject(settings.hooksConfig) ? settings.hooksConfig : {};
  if (config.enabled === true) return { settings };
  const note = config.enabled === false ? 'hooksConfig.enabled was false; set to true' : undefined;
  return { settings: { ...settings, hooksConfig: { ...config, enabled: true } }, ...(note ? { note } : {}) };
}
