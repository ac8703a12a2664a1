import { describe, expect, it } from 'vitest';
import { ControlModeParser, decodeOctal, type ControlBlock } from '../../../src/transports/tmux/control-parser.js';

function collect(): {
  parser: ControlModeParser;
  blocks: ControlBlock[];
  outputs: [string, Buffer][];
  exits: string[];
  notes: string[];
} {
  const blocks: ControlBlock[] = [];
  const outputs: [string, Buffer][] = [];
  const exits: string[] = [];
  const notes: string[] = [];
  const parser = new ControlModeParser({
    onBlock: (block) => blocks.push(block),
    onOutput: (pane, data) => outputs.push([pane, data]),
    onExit: (reason) => exits.push(reason),
    onNotification: (line) => notes.push(line),
  });
  return { parser, blocks, outputs, exits, notes };
}

describe('ControlModeParser', () => {
  it('reports reply blocks in order, with tmux’s own attach block marked as not ours', () => {
    const { parser, blocks, notes } = collect();
    parser.push(
      Buffer.from(
        '%begin 1795968228 268 0\n%end 1795968228 268 0\n%session-changed $0 main\n' +
          '%begin 1795968228 273 1\n%0 1 attached\n%end 1795968228 273 1\n' +
          '%begin 1795968228 274 1\nline one\n\nline three\n%end 1795968228 274 1\n',
      ),
    );
    expect(blocks).toEqual([
      { number: '268', fromClient: false, error: false, lines: [] },
      { number: '273', fromClient: true, error: false, lines: ['%0 1 attached'] },
      { number: '274', fromClient: true, error: false, lines: ['line one', '', 'line three'] },
    ]);
    expect(notes).toEqual(['%session-changed $0 main']);
  });

  it('reports %error blocks as errors', () => {
    const { parser, blocks } = collect();
    parser.push(Buffer.from('%begin 1 281 1\nparse error: unknown command: bogus\n%error 1 281 1\n'));
    expect(blocks).toEqual([
      { number: '281', fromClient: true, error: true, lines: ['parse error: unknown command: bogus'] },
    ]);
  });

  it('keeps pane text that only looks like a guard line inside the reply', () => {
    const { parser, blocks } = collect();
    parser.push(Buffer.from('%begin 5 300 1\n%end 5 299 1\n%error 5 300 0\n%begin 5 301 1\n%end 5 300 1\n'));
    expect(blocks).toEqual([
      { number: '300', fromClient: true, error: false, lines: ['%end 5 299 1', '%error 5 300 0', '%begin 5 301 1'] },
    ]);
  });

  it('joins lines split across chunks, also inside a UTF-8 character', () => {
    const { parser, blocks } = collect();
    const bytes = Buffer.from('%begin 1 7 1\nhé😀llo\n%end 1 7 1\n');
    for (let index = 0; index < bytes.length; index += 1) parser.push(bytes.subarray(index, index + 1));
    expect(blocks).toEqual([{ number: '7', fromClient: true, error: false, lines: ['hé😀llo'] }]);
  });

  it('decodes %output data to raw bytes', () => {
    const { parser, outputs } = collect();
    const utf8 = Buffer.from('é');
    parser.push(
      Buffer.concat([
        Buffer.from('%output %3 out\\015\\012\\033[?2004hbash\\134x '),
        utf8.subarray(0, 1),
        Buffer.from('\n'),
      ]),
    );
    parser.push(Buffer.concat([Buffer.from('%output %12 '), utf8.subarray(1), Buffer.from('\n')]));
    expect(outputs.map(([pane]) => pane)).toEqual(['%3', '%12']);
    expect(outputs[0]?.[1].toString('latin1')).toBe('out\r\n\x1b[?2004hbash\\x \xc3');
    expect(Buffer.concat(outputs.map(([, data]) => data)).subarray(-2)).toEqual(utf8);
  });

  it('reports %exit with and without a reason', () => {
    const { parser, exits } = collect();
    parser.push(Buffer.from('%exit\n%exit server exited\n'));
    expect(exits).toEqual(['', 'server exited']);
  });

  it('waits for the newline before handling a line', () => {
    const { parser, blocks } = collect();
    parser.push(Buffer.from('%begin 1 2 1\n%end 1 2 1'));
    expect(blocks).toEqual([]);
    parser.push(Buffer.from('\n'));
    expect(blocks).toHaveLength(1);
  });
});

describe('decodeOctal', () => {
  it('decodes three-digit escapes and leaves anything else alone', () => {
    expect(decodeOctal(Buffer.from('a\\101\\134\\000z')).toString('latin1')).toBe('aA\\\0z');
    expect(decodeOctal(Buffer.from('\\9\\12x\\')).toString('latin1')).toBe('\\9\\12x\\');
    expect(decodeOctal(Buffer.from('plain')).toString()).toBe('plain');
  });
});
