// NDJSON framing: lines across chunks, CRLF, blank lines, and the size limit.
import { describe, expect, it } from 'vitest';
import { NdjsonDecoder, encodeFrame, type DecodedLine } from '../../../src/core/transport/index.js';

const feed = (decoder: NdjsonDecoder, ...chunks: (string | Buffer)[]): DecodedLine[] =>
  chunks.flatMap((chunk) => decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));

const line = (text: string): DecodedLine => ({ kind: 'line', text });

describe('NdjsonDecoder', () => {
  it('joins a line split across chunks and keeps several lines of one chunk in order', () => {
    const decoder = new NdjsonDecoder(1024);
    expect(feed(decoder, '{"a":', '1}', '\n{"b":2}\n{"c"')).toEqual([line('{"a":1}'), line('{"b":2}')]);
    expect(feed(decoder, ':3}\n')).toEqual([line('{"c":3}')]);
  });

  it('keeps a multi-byte character split between chunks intact', () => {
    const decoder = new NdjsonDecoder(1024);
    const bytes = Buffer.from('"héllo 中"\n');
    const out = [
      ...decoder.push(bytes.subarray(0, 3)),
      ...decoder.push(bytes.subarray(3, 9)),
      ...decoder.push(bytes.subarray(9)),
    ];
    expect(out).toEqual([line('"héllo 中"')]);
  });

  it('strips the CR of CRLF line endings', () => {
    const decoder = new NdjsonDecoder(1024);
    expect(feed(decoder, '{"a":1}\r\n{"b":2}\r', '\n')).toEqual([line('{"a":1}'), line('{"b":2}')]);
  });

  it('skips blank and whitespace-only lines', () => {
    const decoder = new NdjsonDecoder(1024);
    expect(feed(decoder, '\n\n  \t\n\r\n1\n\n')).toEqual([line('1')]);
  });

  it('holds an unterminated line until its newline arrives', () => {
    const decoder = new NdjsonDecoder(1024);
    expect(feed(decoder, '{"partial":true}')).toEqual([]);
    expect(feed(decoder, '\n')).toEqual([line('{"partial":true}')]);
  });

  it('accepts a line exactly at the limit and rejects one byte more', () => {
    const decoder = new NdjsonDecoder(16);
    const exact = 'x'.repeat(16);
    expect(feed(decoder, `${exact}\n`)).toEqual([line(exact)]);
    expect(feed(decoder, exact.slice(0, 10), `${exact.slice(10)}\n`)).toEqual([line(exact)]);
    expect(feed(decoder, `${exact}y\n`)).toEqual([{ kind: 'oversized', bytes: 17 }]);
  });

  it('reports an oversized line once however many chunks it spans, then recovers', () => {
    const decoder = new NdjsonDecoder(100);
    const out = feed(decoder, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(500), 'd'.repeat(5), '\n{"ok":1}\n');
    expect(out).toEqual([{ kind: 'oversized', bytes: 625 }, line('{"ok":1}')]);
    expect(feed(decoder, '{"again":2}\n')).toEqual([line('{"again":2}')]);
  });

  it('reports an oversized line arriving in one chunk between good lines', () => {
    const decoder = new NdjsonDecoder(10);
    expect(feed(decoder, `1\n${'z'.repeat(50)}\n2\n`)).toEqual([
      line('1'),
      { kind: 'oversized', bytes: 50 },
      line('2'),
    ]);
  });

  it('does not buffer an endless line beyond the limit', () => {
    const decoder = new NdjsonDecoder(1024);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 64; i += 1) expect(decoder.push(chunk)).toEqual([]);
    expect(feed(decoder, '\n{"next":1}\n')).toEqual([{ kind: 'oversized', bytes: 64 * 64 * 1024 }, line('{"next":1}')]);
  });
});

describe('encodeFrame', () => {
  it('writes one line per frame, escaping embedded newlines', () => {
    const text = encodeFrame({ body: 'a\nb' });
    expect(text).toBe('{"body":"a\\nb"}\n');
    expect(text.indexOf('\n')).toBe(text.length - 1);
  });

  it('throws on values JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeFrame(cyclic)).toThrow(TypeError);
    expect(() => encodeFrame({ n: 10n })).toThrow(TypeError);
  });
});
