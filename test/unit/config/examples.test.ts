// examples/config is generated from the presets and must load like a user's configuration.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODER_PRESETS, checkConfig, loadTeam, renderCodersToml } from '../../../src/config/index.js';

const examples = resolve(import.meta.dirname, '../../../examples/config');

describe('examples/config', () => {
  it('coders.toml is the rendering of the presets (run scripts/generate-examples.mjs)', () => {
    expect(readFileSync(resolve(examples, 'coders.toml'), 'utf8')).toBe(renderCodersToml(CODER_PRESETS));
  });

  it('loads as a team with no configuration errors', () => {
    const team = loadTeam(examples, 'team');
    expect(team.members.map((m) => [m.id, m.transport])).toEqual([
      ['lead', 'tmux'],
      ['builder', 'tmux'],
      ['tester', 'tmux'],
      ['you', 'socket'],
    ]);
    const errors = checkConfig(examples).filter((p) => p.severity === 'error');
    expect(errors).toEqual([]);
  });
});
