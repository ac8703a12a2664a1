// The shipped coder presets: the one source of the starter coders.toml (and, later, examples/).
// Regexes come from reference/real-clis.md, measured on the real CLIs; agent UIs change often,
// so these are data a user can edit, never code.
import type { CoderEntryInput } from './schemas/coders.js';

/** One preset: a `[[coders]]` entry as written in coders.toml, with comment lines above it. */
export interface CoderPreset {
  /** Lines written as `# …` above the entry. */
  notes: readonly string[];
  entry: CoderEntryInput;
}

const CLAUDE: CoderPreset = {
  notes: [
    'Claude Code. The composer is the ❯ line between two rules (a draft may add lines);',
    'an empty one is ❯ plus a no-break space.',
    'DISABLE_AUTOUPDATER keeps it from running `npm install -g` on its own.',
  ],
  entry: {
    id: 'claude',
    description: 'Claude Code in a tmux pane',
    tmux: {
      'initial-command': 'claude',
      'resume-command': 'claude --resume {coder-session-id}',
      'prompt-regex': '(?m)^❯',
      'prompt-inspect-lines': 8,
      'prompt-idle-column': 2,
      'busy-regex': 'esc to interrupt',
      'waiting-regex':
        'Do you want to proceed\\?|Do you want to use this API key\\?|Yes, I trust this folder|Enter to confirm · Esc to cancel|Esc to cancel · Tab to amend',
      'empty-composer-regex': '(?m)^❯[ \\u00a0]*$',
      'submit-delay-ms': 150,
      detector: 'claude',
      hooks: 'claude',
      environment: [{ name: 'DISABLE_AUTOUPDATER', value: '1' }],
    },
  },
};

const CODEX: CoderPreset = {
  notes: [
    'Codex CLI. --no-daemon: its default app-server daemon outlives the pane and blocks later starts.',
    'C-u clears a draft it did not submit.',
  ],
  entry: {
    id: 'codex',
    description: 'Codex CLI in a tmux pane',
    tmux: {
      'initial-command': 'codex --no-daemon',
      'resume-command': 'codex --no-daemon resume {coder-session-id}',
      'prompt-regex': '(?m)^›( |$)',
      'prompt-inspect-lines': 4,
      'prompt-idle-column': 2,
      'busy-regex': '• esc to interrupt\\)',
      'waiting-regex':
        'Would you like to run the following command\\?|Press enter to confirm or esc to cancel|Hooks need review|Trust this folder\\?|Sign in with ChatGPT|Press enter to (continue|save)',
      'empty-composer-regex': '(?m)^› (Ask Codex to do anything|Ask a follow-up question)\\s*$',
      'submit-delay-ms': 150,
      'clear-keys': ['C-u'],
      detector: 'codex',
      hooks: 'codex',
    },
  },
};

const GEMINI: CoderPreset = {
  notes: [
    'Gemini CLI. It needs at least 57 ms between a paste and Enter; 150 ms is safe.',
    'Its self-updater is a setting, not a variable: put "general": {"enableAutoUpdate": false}',
    'in ~/.gemini/settings.json. C-c clears a draft (never Escape twice: that opens /rewind).',
  ],
  entry: {
    id: 'gemini',
    description: 'Gemini CLI in a tmux pane',
    tmux: {
      'initial-command': 'gemini',
      'resume-command': 'gemini --resume {coder-session-id}',
      'prompt-regex': '(?m)^ > ',
      'prompt-inspect-lines': 4,
      'prompt-idle-column': 3,
      'busy-regex': '\\(esc to cancel, [0-9hms ]+\\)',
      'waiting-regex':
        'Do you trust the files in this folder\\?|How would you like to authenticate|Enter Gemini API Key|Allow execution of|\\(Use Enter to select|Esc to close',
      'empty-composer-regex': '(?m)^ >\\s{2,}Type your message or @path/to/file\\s*$',
      'submit-delay-ms': 150,
      'clear-keys': ['C-c'],
      detector: 'gemini',
      hooks: 'gemini',
    },
  },
};

const OPENCODE: CoderPreset = {
  notes: ['opencode as an ACP agent: the relay speaks the Agent Client Protocol to it over stdio.'],
  entry: {
    id: 'opencode',
    description: 'opencode over the Agent Client Protocol',
    acp: {
      channel: 'stdio',
      command: 'opencode acp',
      environment: [{ name: 'OPENCODE_DISABLE_AUTOUPDATE', value: '1' }],
    },
  },
};

/** The presets written to a new coders.toml, in file order. */
export const CODER_PRESETS: readonly CoderPreset[] = [CLAUDE, CODEX, GEMINI, OPENCODE];
