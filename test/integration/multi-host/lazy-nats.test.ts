// `agentmux send` and single-host relays never load the NATS client: in the build, only the
// bridge's chunk imports @nats-io, and nothing reaches that chunk except through `import()`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../../dist');

/** Every file `file` loads at startup: its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // `import "x"` and `import … from "x"`; `import("x")` (lazy) is not matched.
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s*(?:[^;(]*?\sfrom\s*)?["'](\.[^"']+)["']/g)) {
    staticClosure(resolve(file, '..', match[1] ?? ''), seen);
  }
  return seen;
}

describe('the NATS client loads lazily', () => {
  it('is imported by the bridge chunk only, which the CLI entry never imports statically', () => {
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    const naming = chunks.filter((name) => readFileSync(join(DIST, 'chunks', name), 'utf8').includes('@nats-io/'));
    expect(naming.length).toBeGreaterThan(0);
    expect(naming.every((name) => name.startsWith('nats-bridge-'))).toBe(true);
    const startup = [...staticClosure(join(DIST, 'cli.js'))];
    expect(startup.length).toBeGreaterThan(1);
    expect(startup.filter((file) => readFileSync(file, 'utf8').includes('@nats-io/'))).toEqual([]);
  });
});
