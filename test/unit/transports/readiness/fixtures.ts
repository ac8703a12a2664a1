// Screens of the real CLIs as capture-pane prints them, built from reference/real-clis.md, and
// the screen rules the shipped presets give each CLI: loaded from src/config/presets.ts the way
// a user's starter coders.toml is (rendered, parsed, compiled), never copied here.
import { CODER_PRESETS } from '../../../../src/config/presets.js';
import { renderCodersToml } from '../../../../src/config/render-toml.js';
import { codersFileSchema } from '../../../../src/config/schemas/coders.js';
import { parseConfigText } from '../../../../src/config/toml-file.js';
import type { TmuxCoder } from '../../../../src/config/types.js';
import type { ScreenRules, ScreenSnapshot } from '../../../../src/transports/readiness/types.js';
import { screenRulesOf } from '../../../../src/transports/tmux/screen-rules.js';

/** The shipped preset `id` as the relay compiles it from a starter coders.toml. */
export function presetCoder(id: string): TmuxCoder {
  const parsed = parseConfigText('/presets/coders.toml', renderCodersToml(CODER_PRESETS), codersFileSchema);
  const coder = parsed.value?.get(id);
  if (parsed.problems.length > 0 || coder?.kind !== 'tmux') {
    throw new Error(`preset ${id}: ${JSON.stringify(parsed.problems)}`);
  }
  return coder;
}

export const claudeRules: ScreenRules = screenRulesOf(presetCoder('claude'));
export const codexRules: ScreenRules = screenRulesOf(presetCoder('codex'));
export const geminiRules: ScreenRules = screenRulesOf(presetCoder('gemini'));

export function screen(lines: string[], cursorX: number, cursorY: number, inMode = false): ScreenSnapshot {
  return { lines, cursorX, cursorY, inMode };
}

const RULE = '─'.repeat(78);

const claudeHistory = [
  '╭───────────────────────────────╮',
  '│ ✻ Welcome to Claude Code!     │',
  '╰───────────────────────────────╯',
  '',
  '❯ hello from before',
  '',
  '● MOCK-REPLY: hello from the loopback mock.',
  '',
  '✻ Brewed for 3s',
  '',
];

export const claude = {
  idle: screen(
    [
      ...claudeHistory,
      RULE,
      '❯\u00a0',
      RULE,
      '  ? for shortcuts · ← for agents                  ● high · /effort',
      '',
      '',
    ],
    2,
    11,
  ),
  draft: screen([...claudeHistory, RULE, '❯ hello claude', RULE, '  ctrl+g to edit in Vim', '', ''], 14, 11),
  pastedDraft: screen(
    [...claudeHistory, RULE, '❯ multi A', '  multi B[Pasted text #1 +12 lines]', RULE, '  paste again to expand'],
    35,
    12,
  ),
  busy: screen(
    [
      ...claudeHistory,
      '✽ Mustering… (4s · ↑ 19 tokens)',
      '',
      RULE,
      '❯\u00a0',
      RULE,
      '  esc to interrupt · ← for agents',
    ],
    2,
    13,
  ),
  dialog: screen(
    [
      ...claudeHistory,
      RULE,
      ' Bash command',
      '   touch mock-was-here.txt',
      ' Do you want to proceed?',
      ' ❯ 1. Yes',
      '   2. Yes, and always allow access to proj/ from this project',
      '   3. No',
      '',
      ' Esc to cancel · Tab to amend · ctrl+e to explain',
    ],
    3,
    14,
  ),
  trust: screen(
    [
      '',
      ' Do you trust the files in this folder?',
      '',
      ' ❯ 1. Yes, I trust this folder',
      '   2. No, exit',
      '',
      ' Enter to confirm · Esc to cancel',
    ],
    0,
    6,
  ),
};

const codexHistory = [
  '╭──────────────────────────────────────────────╮',
  '│ >_ OpenAI Codex (v0.171.0)                   │',
  '╰──────────────────────────────────────────────╯',
  '',
  '› hello from before',
  '',
  '• MOCK-REPLY: hello from the loopback mock.',
  '',
  '─ Worked for 3s • 15:14 ─',
  '',
];
const codexFooter = [
  '',
  '  mock-model default · /work/proj · hello',
  '  ← for agents · ? for shortcuts                                  ⚠ 2 warnings · f2 to view',
];

export const codex = {
  idle: screen([...codexHistory, '› Ask Codex to do anything', ...codexFooter], 2, 10),
  draft: screen([...codexHistory, '› hello codex', ...codexFooter], 13, 10),
  multiLineDraft: screen([...codexHistory, '› first line', '  second line', ...codexFooter], 13, 11),
  busy: screen(
    [
      ...codexHistory,
      '◦ Working (2s • esc to interrupt)',
      '',
      '› Ask Codex to do anything',
      '',
      '  tab to queue message',
    ],
    2,
    12,
  ),
  dialog: screen(
    [
      ...codexHistory,
      '  Would you like to run the following command?',
      '',
      '  Reason: The mock wants to create a file',
      '',
      '  $ touch mock-was-here.txt',
      '',
      '› 1. Yes, proceed (y)',
      "  2. Yes, and don't ask again for commands that start with `touch mock-was-here.txt` (p)",
      '  3. No, and tell Codex what to do differently (esc)',
      '',
      '  Press enter to confirm or esc to cancel',
    ],
    159,
    44,
  ),
};

const geminiHistory = [
  ' ███ GEMINI',
  '',
  ' > hello from before',
  '',
  ' ✦ MOCK-REPLY: hello from the loopback mock.',
  '',
];
const geminiFooter = ['', ' workspace (/directory)                                 sandbox                 /model'];

export const gemini = {
  idle: screen(
    [
      ...geminiHistory,
      '                                                                                  ? for shortcuts',
      RULE,
      ' Shift+Tab to accept edits',
      ' >   Type your message or @path/to/file',
      ...geminiFooter,
    ],
    3,
    9,
  ),
  draft: screen([...geminiHistory, RULE, ' Shift+Tab to accept edits', ' > hello world', ...geminiFooter], 14, 8),
  multiLineDraft: screen([...geminiHistory, RULE, ' > hello world', '   and more', ...geminiFooter], 13, 8),
  busy: screen(
    [
      ...geminiHistory,
      ' ⠸ Thinking... (esc to cancel, 0s)',
      RULE,
      ' >   Type your message or @path/to/file',
      ...geminiFooter,
    ],
    3,
    8,
  ),
  dialog: screen(
    [
      ...geminiHistory,
      '╭──────────────────────────────────────────────╮',
      '│ ? Shell  touch mock-was-here.txt             │',
      '│ Allow execution of [Shell]?                  │',
      '│ ● 1. Allow once                              │',
      '│   2. Allow for this session                  │',
      '│   3. No, suggest changes (esc)               │',
      '╰──────────────────────────────────────────────╯',
      ...geminiFooter,
    ],
    0,
    14,
  ),
  trust: screen(
    [
      ' │ Do you trust the files in this folder?',
      ' │ ● 1. Trust folder (proj)',
      ' │   2. Trust parent folder (work)',
      " │   3. Don't trust",
    ],
    0,
    0,
  ),
};

export const agentRules: ScreenRules = {
  promptRegex: /^agent>/mu,
  promptInspectLines: 1,
  promptIdleColumn: 7,
  busyRegex: /thinking…/u,
  // capture-pane trims trailing spaces, so the empty prompt line reads `agent>`.
  emptyComposerRegex: /^agent>$/mu,
};
