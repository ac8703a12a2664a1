import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createOutputGate } from '../../../../src/tui/attach/output-gate.js';

function fakeStdout(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const emitter = Object.assign(new EventEmitter(), {
    columns: 120,
    rows: 40,
    isTTY: true,
    write(chunk: string): boolean {
      written.push(chunk);
      return true;
    },
  });
  return { stream: emitter as unknown as NodeJS.WriteStream, written };
}

describe('createOutputGate', () => {
  it('passes writes through until muted, then drops them (calling back) until unmuted', async () => {
    const { stream, written } = fakeStdout();
    const gate = createOutputGate(stream);
    gate.stream.write('a');
    gate.mute();
    expect(gate.isMuted()).toBe(true);
    const called = new Promise<void>((resolve) => gate.stream.write('dropped', () => resolve()));
    await called;
    gate.unmute();
    gate.stream.write('b');
    expect(written).toEqual(['a', 'b']);
  });

  it('shows the real terminal: size, isTTY and resize events', () => {
    const { stream } = fakeStdout();
    const gate = createOutputGate(stream);
    expect([gate.stream.columns, gate.stream.rows, gate.stream.isTTY]).toEqual([120, 40, true]);
    let resized = 0;
    gate.stream.on('resize', () => resized++);
    stream.emit('resize');
    expect(resized).toBe(1);
  });
});
