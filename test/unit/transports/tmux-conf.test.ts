import { describe, expect, it } from 'vitest';
import { renderTmuxConf } from '../../../src/transports/tmux/tmux-conf.js';

describe('renderTmuxConf', () => {
  it('has the settled options and the status line', () => {
    const lines = renderTmuxConf().split('\n');
    expect(lines).toContain('set -s escape-time 10');
    expect(lines).toContain('set -s focus-events on');
    expect(lines).toContain('set -s exit-empty on');
    expect(lines).toContain('set -g remain-on-exit on');
    expect(lines).toContain('set -g status-right "#{@agentmux-status}"');
    expect(lines.some((line) => line.startsWith('source-file'))).toBe(false);
    expect(lines.some((line) => line.startsWith('bind-key'))).toBe(false);
  });

  it('binds the detach key and sources the user file last, quoted', () => {
    const text = renderTmuxConf({ detachKey: 'C-q', userConf: '/home/me/my config/$x/tmux.conf' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toContain('bind-key -n C-q detach-client');
    expect(lines.some((line) => line.startsWith('set -g status-left ') && line.includes('C-q: back'))).toBe(true);
    expect(lines.at(-1)).toBe('source-file -q "/home/me/my config/\\$x/tmux.conf"');
  });

  it('refuses a detach key that is not a key name', () => {
    expect(() => renderTmuxConf({ detachKey: 'C-q ; kill-server' })).toThrow(TypeError);
  });
});
