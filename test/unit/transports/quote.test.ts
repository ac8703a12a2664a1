import { describe, expect, it } from 'vitest';
import { escapeArgvArgument, formatControlCommand, quoteControlArgument } from '../../../src/transports/tmux/quote.js';

describe('quoteControlArgument', () => {
  it('leaves plain words bare', () => {
    for (const word of [
      'send-keys',
      '-t',
      '%12',
      '=main',
      'am-01JD5Z',
      '/tmp/x/file.txt',
      'NAME=value',
      '@agentmux_owned',
    ]) {
      expect(quoteControlArgument(word)).toBe(word);
    }
  });

  it('double-quotes everything else and escapes what tmux would expand or end on', () => {
    expect(quoteControlArgument('')).toBe('""');
    expect(quoteControlArgument('two words')).toBe('"two words"');
    expect(quoteControlArgument('$HOME')).toBe('"\\$HOME"');
    expect(quoteControlArgument('~/x')).toBe('"\\~/x"');
    expect(quoteControlArgument('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(quoteControlArgument("it's;")).toBe('"it\'s;"');
    expect(quoteControlArgument('#{pane_id}')).toBe('"#{pane_id}"');
    expect(quoteControlArgument('{')).toBe('"{"');
    expect(quoteControlArgument('%if')).toBe('"%if"');
    expect(quoteControlArgument('%1x')).toBe('"%1x"');
  });

  it('writes control characters as octal escapes so a command stays on one line', () => {
    expect(quoteControlArgument('a\nb\tc\x1b\x7f')).toBe('"a\\012b\\011c\\033\\177"');
    expect(quoteControlArgument('é 😀 中')).toBe('"é 😀 中"');
  });

  it('joins a command line', () => {
    expect(formatControlCommand(['display-message', '-p', '-t', '%1', '#{cursor_x} $x'])).toBe(
      'display-message -p -t %1 "#{cursor_x} \\$x"',
    );
  });
});

describe('escapeArgvArgument', () => {
  it('protects a trailing semicolon and nothing else', () => {
    expect(escapeArgvArgument('x;')).toBe('x\\;');
    expect(escapeArgvArgument('x\\;')).toBe('x\\\\;');
    expect(escapeArgvArgument(';')).toBe('\\;');
    expect(escapeArgvArgument('a;b')).toBe('a;b');
    expect(escapeArgvArgument('plain')).toBe('plain');
  });
});
