import { describe, expect, it } from 'vitest';

import { CODER_PRESETS } from '../../../src/config/presets.js';
import { lastLines } from '../../../src/config/regex.js';
import { renderCodersToml, tomlString, tomlValue } from '../../../src/config/render-toml.js';
import { codersFileSchema } from '../../../src/config/schemas/coders.js';
import { parseConfigText } from '../../../src/config/toml-file.js';
import type { TmuxCoder } from '../../../src/config/types.js';

const RULE = '─'.repeat(68);

// Screens transcribed from reference/real-clis.md (idle, draft, busy, dialog).
const SCREENS = {
  claude: {
    idle: [
      '● MOCK-REPLY: hello',
      '',
      RULE,
      '❯\u00a0',
      RULE,
      '  ? for shortcuts · ← for agents      ● high · /effort',
      '',
    ],
    draft: [RULE, '❯ hello claude', RULE, '  ctrl+g to edit in Vim', ''],
    busy: ['✽ Tempering…', '', RULE, '❯\u00a0', RULE, '  esc to interrupt · ← for agents'],
    dialog: [' Bash command', '   touch mock-was-here.txt', ' Do you want to proceed?', ' ❯ 1. Yes', '   3. No'],
  },
  codex: {
    idle: [
      '› hi',
      '',
      '› Ask Codex to do anything',
      '  mock-model default · /proj · t',
      '  ← for agents · ? for shortcuts',
    ],
    draft: ['› hello codex', '  mock-model default · /proj · t', '  tab to queue message'],
    busy: ['◦ Working (2s • esc to interrupt)', '', '› Ask Codex to do anything', '  mock-model default · /proj'],
    dialog: [
      '  Would you like to run the following command?',
      '› 1. Yes, proceed (y)',
      '  Press enter to confirm or esc to cancel',
    ],
  },
  gemini: {
    idle: [
      '                                          ? for shortcuts',
      RULE,
      ' Shift+Tab to accept edits',
      ' >   Type your message or @path/to/file',
      ' workspace (/directory)            sandbox            /model',
    ],
    draft: [RULE, ' > hello world', ' workspace (/directory)            sandbox            /model'],
    busy: [' ⠸ Thinking... (esc to cancel, 0s)', ' >   Type your message or @path/to/file', ' workspace (/directory)'],
    dialog: ['│ ? Shell  touch mock-was-here.txt', '│ Allow execution of [Shell]?', '│ ● 1. Allow once'],
  },
} as const;

function parsePresets() {
  const parsed = parseConfigText('/cfg/coders.toml', renderCodersToml(CODER_PRESETS), codersFileSchema);
  expect(parsed.problems).toEqual([]);
  return parsed.value!;
}

describe('coder presets', () => {
  it('render to a coders.toml that parses back to the same presets', () => {
    const coders = parsePresets();
    expect([...coders.keys()]).toEqual(CODER_PRESETS.map((preset) => preset.entry.id));
    expect(coders.get('opencode')).toMatchObject({
      kind: 'acp',
      command: 'opencode acp',
      environment: [{ name: 'OPENCODE_DISABLE_AUTOUPDATE', value: '1' }],
    });
    for (const id of ['claude', 'codex', 'gemini']) {
      expect(coders.get(id)).toMatchObject({ kind: 'tmux', detector: id, hooks: id, submitDelayMs: 150 });
    }
    expect(coders.get('codex')).toMatchObject({
      initialCommand: 'codex --no-daemon',
      resumeCommand: 'codex --no-daemon resume {coder-session-id}',
    });
  });

  describe.each(Object.entries(SCREENS))('%s screen rules', (id, screens) => {
    const coder = parsePresets().get(id) as TmuxCoder;
    const tail = (screen: readonly string[]) => lastLines([...screen], coder.promptInspectLines);
    const whole = (screen: readonly string[]) => screen.join('\n');

    it('see an idle, empty composer', () => {
      expect(coder.busyRegex?.test(whole(screens.idle))).toBe(false);
      expect(coder.waitingRegex?.test(whole(screens.idle))).toBe(false);
      expect(coder.promptRegex?.test(tail(screens.idle))).toBe(true);
      expect(coder.emptyComposerRegex?.test(tail(screens.idle))).toBe(true);
    });

    it('see a draft as a prompt that is not empty', () => {
      expect(coder.promptRegex?.test(tail(screens.draft))).toBe(true);
      expect(coder.emptyComposerRegex?.test(tail(screens.draft))).toBe(false);
    });

    it('see busy and dialog screens', () => {
      expect(coder.busyRegex?.test(whole(screens.busy))).toBe(true);
      expect(coder.waitingRegex?.test(whole(screens.busy))).toBe(false);
      expect(coder.waitingRegex?.test(whole(screens.dialog))).toBe(true);
      expect(coder.busyRegex?.test(whole(screens.dialog))).toBe(false);
    });
  });
});

describe('TOML rendering', () => {
  it('uses literal strings unless the text needs escapes', () => {
    expect(tomlString('a\\b')).toBe("'a\\b'");
    expect(tomlString("it's")).toBe('"it\'s"');
    expect(tomlString('two\nlines\u007f')).toBe('"two\\nlines\\u007f"');
  });

  it('renders arrays and inline tables', () => {
    expect(tomlValue([{ name: 'A', value: '1' }, { 'odd key': true }])).toBe(
      "[{ name = 'A', value = '1' }, { \"odd key\" = true }]",
    );
  });

  it('round-trips awkward strings through a real TOML parser', () => {
    const text = `format-version = 1\n[[coders]]\nid = 'x'\ndescription = ${tomlString('it\'s "q" \\ \t\u007f')}\n[coders.acp]\ncommand = 'x'\n`;
    const parsed = parseConfigText('/c.toml', text, codersFileSchema);
    expect(parsed.value?.get('x')?.description).toBe('it\'s "q" \\ \t\u007f');
  });
});
