// Public surface of src/hooks: hook events → agent states, the hooks we install into each
// agent CLI's settings, and the hooks-versus-screen rule the relay applies.
export { arbitrate } from './arbitrate.js';
export type { HookRecord, Observation, Verdict } from './arbitrate.js';
export { CLAUDE_EVENTS, CLAUDE_HOOK_TIMEOUT_S, claudeGroups, claudeSettingsPath } from './claude.js';
export { codexConfigPath, codexNotifyLine, hasCodexNotify, withCodexNotify, withoutCodexNotify } from './codex.js';
export { HOOK_MARKER, codexNotifyArgv, hookShellCommand, isAgentmuxHookCommand, programWord } from './commands.js';
export {
  CODEX_TITLE_PROMPT_PREFIX,
  CONVERSATION_ID_PATTERN,
  MAX_PROMPT_BYTES,
  interpretHook,
  truncateUtf8,
} from './events.js';
export type { HookPayload, HookReport } from './events.js';
export { GEMINI_EVENTS, GEMINI_HOOK_TIMEOUT_MS, geminiGroups, geminiSettingsPath, withHooksEnabled } from './gemini.js';
export { isJsonObject, ourEvents, withOurHooks, withoutOurHooks } from './hook-groups.js';
export type { HookGroup, JsonObject } from './hook-groups.js';
export { hooksPath, installHooks, installedEvents, previewHooks, removeHooks } from './install.js';
export type { HooksOutcome, HooksPreview, HooksTarget } from './install.js';
export { MAX_PAYLOAD_BYTES, parsePayload, splitHookArguments } from './invocation.js';
export { editedText, readJsonSettings, readText, writeTextAtomic } from './settings-file.js';
export type { JsonSettings, TextFile } from './settings-file.js';
export type { HookArguments } from './invocation.js';
