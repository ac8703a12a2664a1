import { describe, expect, it } from 'vitest';
import { FallbackTmuxRunner } from '../../../src/transports/tmux/fallback-runner.js';
import { FakeRunner } from './fake-runner.js';

class ClosableFake extends FakeRunner {
  override closed = false;
}

describe('FallbackTmuxRunner', () => {
  it('uses the primary while it is open and the fallback afterwards', async () => {
    const primary = new ClosableFake(() => ({ stdout: 'control\n' }));
    const fallback = new FakeRunner(() => ({ stdout: 'spawn\n' }));
    const runner = new FallbackTmuxRunner(primary, fallback);
    expect(runner.mode).toBe('control');
    await expect(runner.run(['display-message', '-p', 'x'])).resolves.toMatchObject({ stdout: 'control\n' });
    primary.closed = true;
    expect(runner.mode).toBe('spawn');
    await expect(runner.run(['display-message', '-p', 'x'])).resolves.toMatchObject({ stdout: 'spawn\n' });
    expect(fallback.calls).toHaveLength(1);
  });

  it('works with no primary at all and closes both', () => {
    const fallback = new FakeRunner();
    const none = new FallbackTmuxRunner(null, fallback);
    expect(none.mode).toBe('spawn');
    const primary = new ClosableFake();
    new FallbackTmuxRunner(primary, fallback).close();
    expect(primary.closed && fallback.closed).toBe(true);
  });
});
