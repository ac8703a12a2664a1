// An esbuild plugin for the dashboard's bundle (scripts/build.mjs), in its own module so a test
// can build with it (test/unit/tui/ansi-tokenize-patch.test.ts).
import { readFileSync } from 'node:fs';

// ink turns every frame into text cell by cell (120×40 = 4,800 cells), and for each cell
// @alcalzone/ansi-tokenize computes the ANSI codes that lead from the previous cell's styles to
// this one's (three Sets and four arrays per cell), which is most of a frame's cost and nearly
// all of the dashboard's first one while that code is still cold (bench/tui-first-frame.mjs).
// Neighbouring cells almost always have the same styles, whose difference is empty: that case
// is skipped. The text written is the same.
export const ansiTokenizeSameStyles = {
  name: 'ansi-tokenize-same-styles',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /@alcalzone\/ansi-tokenize\/build\/styledChars\.js$/ }, (args) => {
      const step = 'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));';
      const source = readFileSync(args.path, 'utf8');
      const found = source.split(step).length - 1;
      if (found !== 1) throw new Error(`@alcalzone/ansi-tokenize changed: expected 1 \`${step}\`, found ${found}`);
      const sameStyles =
        '\nfunction agentmuxSameStyles(a, b) {\n' +
        '    if (a === b) return true;\n' +
        '    if (a.length !== b.length) return false;\n' +
        '    for (let k = 0; k < a.length; k++) {\n' +
        '        if (a[k].code !== b[k].code || a[k].endCode !== b[k].endCode) return false;\n' +
        '    }\n' +
        '    return true;\n' +
        '}\n';
      const contents =
        source.replace(step, `if (!agentmuxSameStyles(chars[i - 1].styles, char.styles)) ${step}`) + sameStyles;
      return { contents, loader: 'js' };
    });
  },
};
