import { describe, expect, it } from 'vitest';

import { CODER_PRESETS } from '../../../src/config/presets.js';
import { renderCodersToml, tomlString, tomlValue } from '../../../src/config/render-toml.js';
import { codersFileSchema } from '../../../src/config/schemas/coders.js';
import { parseConfigText } from '../../../src/config/toml-file.js';
import type { TmuxCoder } from '../../../src/config/types.js';
import { detectorFor, type ScreenSnapshot } from '../../../src/transports/readiness/index.js';
import { screenRulesOf } from '../../../src/transports/tmux/screen-rules.js';
import { claude, codex, gemini } from '../transports/readiness/fixtures.js';

// Screens of the real CLIs with their cursors (transcribed from reference/real-clis.md).
const SCREENS = { claude, codex, gemini } as const;

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

  // Through the production path: the coder compiled from the rendered file, its rules as the
  // relay compiles them, and the detector it names.
  describe.each(Object.entries(SCREENS))('%s screen rules', (id, screens) => {
    const coder = parsePresets().get(id) as TmuxCoder;
    const verdict = (screen: ScreenSnapshot) => detectorFor(coder.detector).assess(screen, screenRulesOf(coder));

    it('see an idle, empty composer as ready', () => {
      expect(verdict(screens.idle)).toEqual({ state: 'ready' });
    });

    it('see a draft as a draft', () => {
      expect(verdict(screens.draft)).toMatchObject({ state: 'draft' });
    });

    it('see busy and dialog screens', () => {
      expect(verdict(screens.busy)).toMatchObject({ state: 'busy' });
      expect(verdict(screens.dialog)).toMatchObject({ state: 'waiting_input' });
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
