import { describe, expect, it } from 'vitest';
import { sanitizePaneText } from '../../../src/core/sanitize.js';

const ESC = '\x1b';
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/; // eslint-disable-line no-control-regex

describe('sanitizePaneText', () => {
  it('keeps ordinary text, tabs, newlines and all of Unicode', () => {
    const text =
      'plain ASCII\twith tab\nsecond line: héllo 中文 한국어 e\u0301 😀👩‍👩‍👧 \u00a0nbsp [brackets] ~$HOME #{x};';
    expect(sanitizePaneText(text)).toBe(text);
  });

  it('normalises CRLF and CR to LF', () => {
    expect(sanitizePaneText('a\r\nb\rc\n\rd')).toBe('a\nb\nc\n\nd');
  });

  it('removes every C0 control except tab and newline, DEL and every C1 control', () => {
    for (let code = 0; code < 0x20; code += 1) {
      const char = String.fromCharCode(code);
      // A non-ASCII follower, so ESC cannot form a two-character escape with it.
      const expected = char === '\t' || char === '\n' ? `a${char}é` : code === 0x0d ? 'a\né' : 'aé';
      expect(sanitizePaneText(`a${char}é`), `code ${code}`).toBe(expected);
    }
    expect(sanitizePaneText('a\x7fb')).toBe('ab');
    for (let code = 0x80; code <= 0x9f; code += 1) {
      expect(sanitizePaneText(`a${String.fromCharCode(code)}é`), `code ${code}`).toBe('aé');
    }
  });

  it('removes NUL bytes anywhere', () => {
    expect(sanitizePaneText('\0a\0b\0')).toBe('ab');
  });

  it('removes CSI sequences whole, parameters and intermediates included', () => {
    expect(sanitizePaneText(`${ESC}[31mred${ESC}[0m`)).toBe('red');
    expect(sanitizePaneText(`${ESC}[?2004h${ESC}[2J${ESC}[1;5Hx${ESC}[0 q`)).toBe('x');
    expect(sanitizePaneText(`${ESC}[>4;2m${ESC}[<0;10;20Mz`)).toBe('z');
    expect(sanitizePaneText('\u009b31mred\u009b0m')).toBe('red');
  });

  it('removes bracketed-paste markers, with or without their ESC', () => {
    expect(sanitizePaneText(`a${ESC}[200~b${ESC}[201~c`)).toBe('abc');
    expect(sanitizePaneText('a[201~b[200~c')).toBe('abc');
    expect(sanitizePaneText(`${ESC}\0[201~`)).toBe('');
    expect(sanitizePaneText(`${ESC}${ESC}[201~\nx`)).toBe('\nx');
    expect(sanitizePaneText('[20[201~1~tail')).toBe('tail');
    expect(sanitizePaneText('[2\x0001~')).toBe('');
  });

  it('removes OSC sequences terminated by BEL, ESC backslash or ST', () => {
    expect(sanitizePaneText(`${ESC}]0;title\x07text`)).toBe('text');
    expect(sanitizePaneText(`${ESC}]8;;http://example.com${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link');
    expect(sanitizePaneText(`${ESC}]52;c;aGVsbG8=\u009cafter`)).toBe('after');
    expect(sanitizePaneText('\u009d0;title\x07text')).toBe('text');
  });

  it('removes DCS, SOS, PM and APC strings', () => {
    expect(sanitizePaneText(`a${ESC}Pq#0;2;0;0;0${ESC}\\b`)).toBe('ab');
    expect(sanitizePaneText(`a${ESC}Xsos${ESC}\\b${ESC}^pm${ESC}\\c${ESC}_apc${ESC}\\d`)).toBe('abcd');
    expect(sanitizePaneText('a\u0090dcs\u009cb\u009fapc\u009cc')).toBe('abc');
    expect(sanitizePaneText(`${ESC}Ptmux;${ESC}${ESC}]0;x\x07${ESC}\\y`)).toBe('y');
  });

  it('keeps the text of an unterminated string sequence but not its introducer', () => {
    expect(sanitizePaneText(`before ${ESC}]0;no terminator`)).toBe('before 0;no terminator');
    expect(sanitizePaneText(`before ${ESC}Pdata`)).toBe('before data');
  });

  it('removes nF and two-character escapes and a lone ESC', () => {
    expect(sanitizePaneText(`${ESC}(B${ESC})0${ESC}#8x`)).toBe('x');
    expect(sanitizePaneText(`${ESC}7a${ESC}8b${ESC}cc${ESC}=d${ESC}>e${ESC}Mf`)).toBe('abcdef');
    expect(sanitizePaneText(`end${ESC}`)).toBe('end');
    expect(sanitizePaneText(`${ESC}é`)).toBe('é');
    expect(sanitizePaneText(`${ESC}[12`)).toBe('12');
  });

  it('replaces lone surrogates, which cannot be written as UTF-8', () => {
    expect(sanitizePaneText('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
  });

  it('never leaves a control character or marker and is idempotent (seeded random input)', () => {
    const alphabet = [
      ESC,
      '[',
      ']',
      'P',
      '\\',
      '\x07',
      '\0',
      '\r',
      '\n',
      '\t',
      '2',
      '0',
      '1',
      '~',
      'm',
      ';',
      'a',
      '\u009b',
      '\u009c',
      '\u009d',
      '\x7f',
      'é',
      '😀',
    ];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 2000; round += 1) {
      let input = '';
      const length = Math.floor(random() * 40);
      for (let index = 0; index < length; index += 1) input += alphabet[Math.floor(random() * alphabet.length)];
      const output = sanitizePaneText(input);
      expect(FORBIDDEN.test(output), JSON.stringify(input)).toBe(false);
      expect(output.includes('[200~') || output.includes('[201~'), JSON.stringify(input)).toBe(false);
      expect(sanitizePaneText(output)).toBe(output);
    }
  });
});
