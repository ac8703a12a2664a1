// `hooks install|remove` for Claude Code and Gemini CLI on real files in a temp dir: the
// user's settings survive byte for byte, installs are idempotent, only our entries go.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hookShellCommand } from '../../../src/hooks/commands.js';
import { installHooks, removeHooks, type HooksTarget } from '../../../src/hooks/install.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('hooks');
});
afterEach(() => roots.cleanup());

const target = (client: 'claude' | 'gemini'): HooksTarget => ({
  client,
  dir: roots.root,
  codexHome: join(roots.root, 'codex'),
  fallbackEntry: '/opt/agentmux/bin/agentmux',
});
const claudeFile = () => join(roots.root, '.claude', 'settings.local.json');
const geminiFile = () => join(roots.root, '.gemini', 'settings.json');
const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
const read = (path: string) => readFileSync(path, 'utf8');

// A user's own settings, in their own layout (4 spaces, inline array, their own hook).
const USER_CLAUDE = `{
    "permissions": { "allow": ["Bash(npm test)", "Read(*)"] },
    "hooks": {
        "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }],
        "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./guard.sh" }] }]
    },
    "model": "opus"
}
`;

describe('claude settings.local.json', () => {
  it('creates the file when missing, and remove deletes it again', () => {
    const installed = installHooks(target('claude'));
    expect(installed.action).toBe('installed');
    expect(installed.events).toHaveLength(7);
    const settings = JSON.parse(read(claudeFile()));
    expect(settings.hooks.Stop[0].hooks[0].command).toBe(
      hookShellCommand('claude', 'Stop', '/opt/agentmux/bin/agentmux'),
    );
    expect(removeHooks(target('claude')).action).toBe('removed');
    expect(existsSync(claudeFile())).toBe(false);
    expect(removeHooks(target('claude')).action).toBe('absent');
  });

  it('keeps the user settings and hooks; install twice changes nothing; remove restores the bytes', () => {
    write(claudeFile(), USER_CLAUDE);
    expect(installHooks(target('claude')).action).toBe('installed');
    const once = read(claudeFile());
    expect(once.startsWith('{\n    "permissions": { "allow": ["Bash(npm test)", "Read(*)"] },\n')).toBe(true);
    expect(once).toContain('\n    "model": "opus"\n');
    const settings = JSON.parse(once);
    expect(settings.hooks.Stop).toHaveLength(2);
    expect(settings.hooks.Stop[0].hooks[0].command).toBe('notify-send done');
    expect(settings.hooks.PreToolUse[0].matcher).toBe('Bash');
    expect(settings.hooks.PreToolUse[1].matcher).toBe('*');
    expect(installHooks(target('claude')).action).toBe('unchanged');
    expect(read(claudeFile())).toBe(once);
    expect(removeHooks(target('claude')).action).toBe('removed');
    expect(read(claudeFile())).toBe(USER_CLAUDE);
  });

  it('appends the hooks key after the last member and removes it byte for byte', () => {
    const original = '{\n  "env": {"A": "1"},\n  "model": "sonnet"\n}';
    write(claudeFile(), original);
    installHooks(target('claude'));
    const text = read(claudeFile());
    expect(text.startsWith('{\n  "env": {"A": "1"},\n  "model": "sonnet",\n  "hooks": {\n')).toBe(true);
    expect(text.endsWith('\n}')).toBe(true);
    removeHooks(target('claude'));
    expect(read(claudeFile())).toBe(original);
  });

  it('updates our entries when the agentmux path changed, without duplicating them', () => {
    write(claudeFile(), USER_CLAUDE);
    installHooks(target('claude'));
    const moved = { ...target('claude'), fallbackEntry: '/usr/local/bin/agentmux' };
    expect(installHooks(moved).action).toBe('updated');
    const settings = JSON.parse(read(claudeFile()));
    expect(settings.hooks.Stop).toHaveLength(2);
    expect(settings.hooks.Stop[1].hooks[0].command).toContain('/usr/local/bin/agentmux');
    expect(JSON.stringify(settings)).not.toContain('/opt/agentmux');
  });

  it('keeps a user hook that shares a group with ours', () => {
    write(claudeFile(), USER_CLAUDE);
    installHooks(target('claude'));
    const settings = JSON.parse(read(claudeFile()));
    settings.hooks.Stop[1].hooks.push({ type: 'command', command: 'echo mine' });
    write(claudeFile(), JSON.stringify(settings, null, 4));
    removeHooks(target('claude'));
    const after = JSON.parse(read(claudeFile()));
    expect(after.hooks.Stop[1].hooks).toEqual([{ type: 'command', command: 'echo mine' }]);
    expect(JSON.stringify(after)).not.toContain('agentmux-hook');
  });

  it('refuses files it cannot edit safely', () => {
    write(claudeFile(), '{ "model": }');
    expect(() => installHooks(target('claude'))).toThrow(/is not valid JSON \(ValueExpected at line 1/);
    write(claudeFile(), '{"hooks": []}');
    expect(() => installHooks(target('claude'))).toThrow(/`hooks` is not an object/);
    write(claudeFile(), '{"hooks": {"Stop": {"hooks": []}}}');
    expect(() => installHooks(target('claude'))).toThrow(/`hooks.Stop` is not a list/);
    write(claudeFile(), '[1]');
    expect(() => installHooks(target('claude'))).toThrow(/does not hold a JSON object/);
  });

  it('keeps comments and the layout of a settings file with comments (JSONC)', () => {
    const original = [
      '{',
      '  // my model; do not change',
      '  "model": "opus", /* inline */',
      '  "hooks": {',
      '    // keep this hook',
      '    "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }],',
      '  },',
      '}',
      '',
    ].join('\n');
    write(claudeFile(), original);
    expect(installHooks(target('claude')).action).toBe('installed');
    const text = read(claudeFile());
    expect(text).toContain('  // my model; do not change\n  "model": "opus", /* inline */\n');
    expect(text).toContain('    // keep this hook\n');
    expect(text).toContain(hookShellCommand('claude', 'Stop', '/opt/agentmux/bin/agentmux').replaceAll('"', '\\"'));
    expect(installHooks(target('claude')).action).toBe('unchanged');
    expect(removeHooks(target('claude')).action).toBe('removed');
    expect(read(claudeFile())).toBe(original);
  });

  it('refuses a file that gives "hooks" twice, naming the key, and leaves it untouched', () => {
    const original = '{\n  "hooks": {},\n  "model": "opus",\n  "hooks": {"Stop": []}\n}\n';
    write(claudeFile(), original);
    let caught: unknown;
    try {
      installHooks(target('claude'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'validation_duplicate_key', details: { key: 'hooks', line: 4 } });
    expect(String((caught as Error).message)).toContain('gives the key `hooks` more than once');
    expect(read(claudeFile())).toBe(original);
    write(claudeFile(), '{"hooks": {"Stop": [], "Stop": []}}');
    expect(() => installHooks(target('claude'))).toThrow(/`hooks.Stop` more than once/);
  });

  it('edits the target of a symlinked settings file and keeps the link', () => {
    const real = join(roots.root, 'dotfiles', 'claude-settings.json');
    write(real, USER_CLAUDE);
    mkdirSync(dirname(claudeFile()), { recursive: true });
    symlinkSync(relative(dirname(claudeFile()), real), claudeFile());
    expect(installHooks(target('claude')).action).toBe('installed');
    expect(lstatSync(claudeFile()).isSymbolicLink()).toBe(true);
    expect(read(real)).toContain('agentmux');
    expect(removeHooks(target('claude')).action).toBe('removed');
    expect(lstatSync(claudeFile()).isSymbolicLink()).toBe(true);
    expect(read(real)).toBe(USER_CLAUDE);
  });

  it('warns when the file disables all hooks', () => {
    write(claudeFile(), '{"disableAllHooks": true}');
    expect(installHooks(target('claude')).notes).toEqual([
      'disableAllHooks is true in this file: Claude Code will not run any hook',
    ]);
  });
});

describe('gemini settings.json', () => {
  it('enables hooks, keeps the user settings, and removes only our entries', () => {
    const original =
      '{\n  "security": {"auth": {"selectedType": "gemini-api-key"}},\n  "general": {"enableAutoUpdate": false}\n}\n';
    write(geminiFile(), original);
    const installed = installHooks(target('gemini'));
    expect(installed.action).toBe('installed');
    const text = read(geminiFile());
    expect(
      text.startsWith(
        '{\n  "security": {"auth": {"selectedType": "gemini-api-key"}},\n  "general": {"enableAutoUpdate": false},\n',
      ),
    ).toBe(true);
    const settings = JSON.parse(text);
    expect(settings.hooksConfig).toEqual({ enabled: true });
    expect(settings.hooks.AfterAgent[0].hooks[0].name).toBe('agentmux-hook');
    expect(installHooks(target('gemini')).action).toBe('unchanged');
    removeHooks(target('gemini'));
    // hooksConfig.enabled stays (it is Gemini's default and may be the user's own choice).
    expect(read(geminiFile())).toBe(
      '{\n  "security": {"auth": {"selectedType": "gemini-api-key"}},\n  "general": {"enableAutoUpdate": false},\n  "hooksConfig": {\n    "enabled": true\n  }\n}\n',
    );
  });

  it('turns hooks on when the user had them off, and says so', () => {
    write(geminiFile(), '{"hooksConfig": {"enabled": false, "disabled": ["x"]}}');
    const installed = installHooks(target('gemini'));
    expect(installed.notes).toEqual(['hooksConfig.enabled was false; set to true']);
    expect(JSON.parse(read(geminiFile())).hooksConfig).toEqual({ enabled: true, disabled: ['x'] });
  });
});
