// Reading the parent chain from a /proc-shaped directory (a fake tree; the real /proc has an
// integration test).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parentFromStat, parseEnviron, procAncestors } from '../../../src/mcp/proc-ancestors.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

let roots: TempRoots;
beforeEach(() => {
  roots = makeTempRoots('proc');
});
afterEach(() => roots.cleanup());

function fakeProcess(pid: number, ppid: number, comm: string, environ?: string): void {
  const dir = join(roots.root, String(pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194304`);
  writeFileSync(join(dir, 'comm'), `${comm}\n`);
  if (environ !== undefined) writeFileSync(join(dir, 'environ'), environ);
}

describe('proc parsing', () => {
  it('parses NUL-separated environ, keeping = inside values', () => {
    expect(parseEnviron('A=1\0B=x=y\0\0NOEQUALS\0=bad\0')).toEqual({ A: '1', B: 'x=y' });
  });

  it('finds the parent pid even when the command name holds spaces and parentheses', () => {
    expect(parentFromStat('1234 (my (odd) prog) S 99 1234 1234 0 -1')).toBe(99);
    expect(parentFromStat('garbage')).toBeUndefined();
  });
});

describe('procAncestors', () => {
  it('walks parents nearest first, stops before pid 1, and keeps unreadable environments out', () => {
    fakeProcess(50, 40, 'node', 'PATH=/bin\0');
    fakeProcess(40, 30, 'codex');
    fakeProcess(30, 1, 'bash', 'AGENTMUX_BUNDLE=team\0AGENTMUX_SESSION=alice\0');
    const chain = [...procAncestors(50, roots.root)];
    expect(chain).toEqual([
      { pid: 50, name: 'node', env: { PATH: '/bin' } },
      { pid: 40, name: 'codex' },
      { pid: 30, name: 'bash', env: { AGENTMUX_BUNDLE: 'team', AGENTMUX_SESSION: 'alice' } },
    ]);
  });

  it('ends at a vanished process and never loops', () => {
    fakeProcess(60, 61, 'a');
    fakeProcess(61, 60, 'b');
    expect([...procAncestors(60, roots.root)].map((p) => p.pid)).toEqual([60, 61]);
    expect([...procAncestors(70, roots.root)]).toEqual([]);
  });
});
