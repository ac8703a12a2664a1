// The build's patch of @alcalzone/ansi-tokenize (scripts/ansi-tokenize-same-styles.mjs) skips
// the style difference between neighbouring cells whose styles are the same: the text ink
// writes must not change. The patched build is checked against the package itself.
import { resolve } from 'node:path';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const PLUGIN = resolve(ROOT, 'scripts/ansi-tokenize-same-styles.mjs');

type StyledChars = ReturnType<typeof styledCharsFromTokens>;

async function patchedStyledCharsToString(): Promise<{ source: string; run: (chars: StyledChars) => string }> {
  const { ansiTokenizeSameStyles } = (await import(PLUGIN)) as { ansiTokenizeSameStyles: Plugin };
  const result = await build({
    stdin: { contents: "export { styledCharsToString } from '@alcalzone/ansi-tokenize';", resolveDir: ROOT },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins: [ansiTokenizeSameStyles],
  });
  const source = result.outputFiles[0]?.text ?? '';
  const module = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as {
    styledCharsToString: (chars: StyledChars) => string;
  };
  return { source, run: module.styledCharsToString };
}

// A deterministic pseudo-random sequence, so a failure can be replayed.
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const CODES = [
  '1',
  '22',
  '2',
  '3',
  '23',
  '7',
  '27',
  '31',
  '36',
  '90',
  '39',
  '42',
  '49',
  '0',
  '38;5;200',
  '4',
  '24',
].map((code) => `\u001b[${code}m`);

describe('the ansi-tokenize patch', () => {
  it('is applied, and writes exactly what the package writes', async () => {
    const patched = await patchedStyledCharsToString();
    expect(patched.source).toContain('agentmuxSameStyles(chars[i - 1].styles, char.styles)');
    const random = sequence(17);
    let compared = 0;
    for (let run = 0; run < 2000; run += 1) {
      let text = '';
      const length = 1 + Math.floor(random() * 40);
      for (let i = 0; i < length; i += 1) {
        if (random() < 0.3) text += CODES[Math.floor(random() * CODES.length)] ?? '';
        text += random() < 0.5 ? 'a' : '─';
      }
      const chars = styledCharsFromTokens(tokenize(text));
      // ink's blank cells: a space with no styles, between styled text.
      chars.splice(Math.floor(random() * chars.length), 0, { type: 'char', value: ' ', fullWidth: false, styles: [] });
      expect(patched.run(chars), JSON.stringify(text)).toBe(styledCharsToString(chars));
      compared += 1;
    }
    expect(compared).toBe(2000);
  });
});
