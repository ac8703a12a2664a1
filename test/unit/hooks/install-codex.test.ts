// `hooks install|remove --client codex`: one marked `notify` line in config.toml, edited as
// text; a foreign `notify` is refused with the snippet to merge by hand.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { codexNotifyLine, withCodexNotify, withoutCodexNotify } from '../../../src/hooks/codex.js';
import { installHooks, removeHooks, type HooksTarget } from '../../../src/hooks/install.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('codex');
});
afterEach(() => roots.cleanup());

const target = (): HooksTarget => ({
  client: 'codex',
  dir: roots.root,
  codexHome: join(roots.root, 'codex-home'),
  fallbackEntry: '/opt/agentmux/bin/agentmux',
});
const configFile = () => join(roots.root, 'codex-home', 'config.toml');
const writeConfig = (text: string) => {
  mkdirSync(join(roots.root, 'codex-home'), { recursive: true });
  writeFileSync(configFile(), text);
};

const USER_CONFIG = `# my codex config
model = "mock-model"   # keep this comment
model_provider = "mock"

[model_providers.mock]
name = "mock"
base_url = "http://127.0.0.1:18080/v1"
wire_api = "responses"

[projects."/proj"]
trust_level = "trusted"
`;

describe('codex config.toml', () => {
  it('adds one top-level notify line after the leading comments and removes it byte for byte', () => {
    writeConfig(USER_CONFIG);
    expect(installHooks(target()).action).toBe('installed');
    const text = readFileSync(configFile(), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('# my codex config');
    expect(lines[1]).toBe(codexNotifyLine('/opt/agentmux/bin/agentmux'));
    expect(text.replace(`${lines[1]}\n`, '')).toBe(USER_CONFIG);
    const parsed = parse(text) as { notify: string[]; model: string; model_providers: { mock: { name: string } } };
    expect(parsed.notify[0]).toBe('sh');
    expect(parsed.model).toBe('mock-model');
    expect(parsed.model_providers.mock.name).toBe('mock');
    expect(installHooks(target()).action).toBe('unchanged');
    expect(readFileSync(configFile(), 'utf8')).toBe(text);
    expect(removeHooks(target()).action).toBe('removed');
    expect(readFileSync(configFile(), 'utf8')).toBe(USER_CONFIG);
    expect(removeHooks(target()).action).toBe('absent');
  });

  it('creates CODEX_HOME/config.toml when missing and deletes it when only our line was in it', () => {
    expect(installHooks(target()).action).toBe('installed');
    expect(readFileSync(configFile(), 'utf8')).toBe(`${codexNotifyLine('/opt/agentmux/bin/agentmux')}\n`);
    removeHooks(target());
    expect(existsSync(configFile())).toBe(false);
  });

  it('refuses a foreign notify with validation_hooks_conflict and the snippet to merge', () => {
    const original = 'notify = ["python3", "/home/u/.codex/notify.py"]\nmodel = "o3"\n';
    writeConfig(original);
    let error: unknown;
    try {
      installHooks(target());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AgentmuxError);
    const conflict = error as AgentmuxError;
    expect(conflict.code).toBe('validation_hooks_conflict');
    expect(conflict.details?.snippet).toBe(codexNotifyLine('/opt/agentmux/bin/agentmux'));
    expect(conflict.details?.existing).toEqual(['python3', '/home/u/.codex/notify.py']);
    expect(conflict.hint).toContain(codexNotifyLine('/opt/agentmux/bin/agentmux'));
    expect(readFileSync(configFile(), 'utf8')).toBe(original);
    expect(removeHooks(target()).action).toBe('absent');
  });

  it('replaces an older line of ours (agentmux moved) instead of adding a second', () => {
    writeConfig(USER_CONFIG);
    installHooks(target());
    expect(installHooks({ ...target(), fallbackEntry: '/usr/bin/agentmux' }).action).toBe('updated');
    const text = readFileSync(configFile(), 'utf8');
    expect(text.match(/^notify =/gm)).toHaveLength(1);
    expect(text).toContain('/usr/bin/agentmux');
  });

  it('keeps CRLF line ends and a missing final newline', () => {
    const crlf = 'model = "o3"\r\n[tui]\r\nanimations = false';
    const added = withCodexNotify(crlf, 'notify = ["x"] # agentmux-hook', 'c.toml');
    expect(added.text).toBe('notify = ["x"] # agentmux-hook\r\nmodel = "o3"\r\n[tui]\r\nanimations = false');
    expect(withoutCodexNotify(added.text).text).toBe(crlf);
  });

  it('keeps a byte order mark first', () => {
    const bom = '\uFEFFmodel = "o3"\n';
    const added = withCodexNotify(bom, 'notify = ["x"] # agentmux-hook', 'c.toml');
    expect(added.text).toBe('\uFEFFnotify = ["x"] # agentmux-hook\nmodel = "o3"\n');
    expect(withoutCodexNotify(added.text).text).toBe(bom);
  });

  it('refuses invalid TOML rather than guessing', () => {
    writeConfig('model = \n[[[');
    expect(() => installHooks(target())).toThrow(/not valid TOML/);
  });
});
