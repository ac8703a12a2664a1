// What `agentmux init` writes: bundle ids from directory names, session ids, the edit marker.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundleIdFor,
  detectAgentClis,
  initSessions,
  isUneditedInitFile,
  renderInitBundle,
  withDefaultBundle,
} from '../../../src/config/init-bundle.js';

describe('init bundle', () => {
  it('names the bundle after the directory, as a valid bundle id', () => {
    expect(bundleIdFor('/home/me/src/my-app')).toBe('my-app');
    expect(bundleIdFor('/home/me/src/My App (v2)')).toBe('My-App-v2-');
    expect(bundleIdFor('/home/me/src/.dotfiles')).toBe('dotfiles');
    expect(bundleIdFor('/')).toBe('team');
  });

  it('makes one session per coder, or numbered ones with a count', () => {
    expect(initSessions(['claude', 'codex'], 1)).toEqual([
      { id: 'claude', coder: 'claude' },
      { id: 'codex', coder: 'codex' },
    ]);
    expect(initSessions(['claude'], 2).map((s) => s.id)).toEqual(['claude-1', 'claude-2']);
  });

  it('tells its own file from one a user edited', () => {
    const text = renderInitBundle({
      id: 'app',
      directory: '/src/app',
      sessions: [{ id: 'claude', coder: 'claude' }],
      worktree: true,
    });
    expect(isUneditedInitFile(text)).toBe(true);
    expect(isUneditedInitFile(text.replace("coder = 'claude'", "coder = 'codex'"))).toBe(false);
    expect(isUneditedInitFile('format-version = 1\n')).toBe(false);
  });

  it('detects agent CLIs by the program of each preset on PATH', () => {
    const bin = join(tmpdir(), `agentmux-detect-${process.pid}`);
    mkdirSync(bin, { recursive: true });
    for (const name of ['claude', 'opencode']) writeFileSync(join(bin, name), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(bin, 'codex'), 'not executable\n', { mode: 0o644 });
    expect(detectAgentClis({ PATH: bin }).map((p) => p.entry.id)).toEqual(['claude', 'opencode']);
  });

  it('points default-bundle at the new bundle only when it is unset or the starter one', () => {
    const starter = "format-version = 1\ndefault-bundle = 'example'\n\n[[sessions]]\nid = 'user'\n";
    expect(withDefaultBundle(starter, 'app', 'example')).toEqual({
      text: "format-version = 1\ndefault-bundle = 'app'\n\n[[sessions]]\nid = 'user'\n",
      changed: true,
    });
    const mine = "default-bundle = 'work'\n";
    expect(withDefaultBundle(mine, 'app', 'example')).toEqual({ text: mine, changed: false });
    expect(withDefaultBundle("[[sessions]]\nid = 'user'\n", 'app', 'example').text).toBe(
      "default-bundle = 'app'\n\n[[sessions]]\nid = 'user'\n",
    );
  });
});
