// `hooks install --print` output checked against each client's documented hook format.
// The schemas below list exactly the fields the documentation names (strict: nothing else):
// - Claude Code: https://code.claude.com/docs/en/hooks ("Configuration": hooks.<Event> →
//   [{matcher?, hooks: [{type: "command", command, timeout? (seconds)}]}]; matchers apply to
//   tool events such as PreToolUse/PostToolUse).
// - Gemini CLI: https://geminicli.com/docs/hooks/reference ("Configuration schema": hook
//   definition {matcher?, sequential?, hooks}; hook configuration {type: "command", command,
//   name?, timeout? (ms), description?}); `hooksConfig.enabled` switches hooks on.
// - Codex CLI: https://github.com/openai/codex/blob/main/docs/config.md#notify (`notify` is a
//   top-level array<string>; Codex appends the event JSON as one more argument).
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { previewHooks } from '../../../src/hooks/install.js';

const CLAUDE_DOCUMENTED_EVENTS = [
  'PreToolUse',
  'PostToolUse',
  'Notification',
  'UserPromptSubmit',
  'Stop',
  'SubagentStop',
  'PreCompact',
  'SessionStart',
  'SessionEnd',
] as const;
const GEMINI_DOCUMENTED_EVENTS = [
  'BeforeTool',
  'AfterTool',
  'BeforeAgent',
  'AfterAgent',
  'BeforeModel',
  'BeforeToolSelection',
  'AfterModel',
  'SessionStart',
  'SessionEnd',
  'Notification',
  'PreCompress',
] as const;

const claudeCommand = z.strictObject({
  type: z.literal('command'),
  command: z.string().min(1),
  timeout: z.number().int().positive().max(600).optional(),
});
const claudeGroup = z.strictObject({ matcher: z.string().optional(), hooks: z.array(claudeCommand).min(1) });
const claudeSettings = z.strictObject({
  hooks: z.partialRecord(z.enum(CLAUDE_DOCUMENTED_EVENTS), z.array(claudeGroup)),
});

const geminiCommand = z.strictObject({
  type: z.literal('command'),
  command: z.string().min(1),
  name: z.string().optional(),
  timeout: z.number().int().positive().optional(),
  description: z.string().optional(),
});
const geminiDefinition = z.strictObject({
  matcher: z.string().optional(),
  sequential: z.boolean().optional(),
  hooks: z.array(geminiCommand).min(1),
});
const geminiSettings = z.strictObject({
  hooksConfig: z.strictObject({ enabled: z.literal(true) }),
  hooks: z.partialRecord(z.enum(GEMINI_DOCUMENTED_EVENTS), z.array(geminiDefinition)),
});

const target = { dir: '/proj', codexHome: '/home/u/.codex', fallbackEntry: '/opt/agentmux/bin/agentmux' };

describe('hooks install --print', () => {
  it('claude: a valid settings.local.json fragment; matchers only on tool events', () => {
    const preview = previewHooks({ ...target, client: 'claude' });
    expect(preview.path).toBe('/proj/.claude/settings.local.json');
    const parsed = claudeSettings.parse(JSON.parse(preview.snippet));
    expect(Object.keys(parsed.hooks).sort()).toEqual(
      ['Notification', 'PostToolUse', 'PreToolUse', 'SessionEnd', 'SessionStart', 'Stop', 'UserPromptSubmit'].sort(),
    );
    for (const [event, groups] of Object.entries(parsed.hooks)) {
      for (const group of groups) {
        expect(group.matcher === undefined).toBe(!['PreToolUse', 'PostToolUse'].includes(event));
        if (group.matcher !== undefined) expect(group.matcher).toBe('*');
        for (const hook of group.hooks) {
          expect(hook.command).toContain(`hook --client claude ${event}`);
          expect(hook.command).toContain('"${AGENTMUX_COMMAND:-/opt/agentmux/bin/agentmux}"');
          expect(hook.command.startsWith('[ -z "$AGENTMUX_SESSION" ] || ')).toBe(true);
        }
      }
    }
    expect(preview.config).toEqual(JSON.parse(preview.snippet));
  });

  it('gemini: a valid settings.json fragment with hooksConfig.enabled, timeouts in ms', () => {
    const preview = previewHooks({ ...target, client: 'gemini' });
    expect(preview.path).toBe('/proj/.gemini/settings.json');
    const parsed = geminiSettings.parse(JSON.parse(preview.snippet));
    expect(Object.keys(parsed.hooks).sort()).toEqual(
      ['AfterAgent', 'AfterTool', 'BeforeAgent', 'BeforeTool', 'Notification', 'SessionEnd', 'SessionStart'].sort(),
    );
    for (const [event, definitions] of Object.entries(parsed.hooks)) {
      const hook = definitions[0]?.hooks[0];
      expect(hook?.command).toContain(`hook --client gemini ${event}`);
      expect(hook?.timeout).toBeGreaterThanOrEqual(1000);
      expect(definitions[0]?.matcher).toBeUndefined();
    }
  });

  it('codex: one top-level notify array of strings that passes the payload on as the last argument', () => {
    const preview = previewHooks({ ...target, client: 'codex' });
    expect(preview.path).toBe('/home/u/.codex/config.toml');
    expect(preview.format).toBe('toml');
    const parsed = parse(preview.snippet);
    expect(Object.keys(parsed)).toEqual(['notify']);
    const notify = z.array(z.string()).min(1).parse(parsed.notify);
    expect(notify.slice(0, 2)).toEqual(['sh', '-c']);
    expect(notify[2]).toContain('hook --client codex "$1"');
    expect(preview.config).toEqual({ notify });
  });

  it('falls back to "$AGENTMUX_COMMAND" alone when the entry point cannot be embedded safely', () => {
    const preview = previewHooks({ ...target, client: 'claude', fallbackEntry: '/tmp/we"ird/$x/agentmux' });
    expect(preview.snippet).not.toContain('we\\"ird');
    expect(preview.snippet).toContain('\\"$AGENTMUX_COMMAND\\" hook --client claude');
  });
});
