// Writes literal config files (relative path → text) under a config directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function writeFiles(configDir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = join(configDir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

export const CODERS = `format-version = 1

[[coders]]
id = 'shell'
[coders.tmux]
initial-command = 'bash'
resume-command = 'bash -c "echo {coder-session-id}"'

[[coders]]
id = 'plain'
[coders.tmux]
initial-command = 'sh'

[[coders]]
id = 'acp'
[coders.acp]
command = 'node agent.js'
`;

export const POLICIES = `format-version = 1
default = 'agents'

[[policies]]
id = 'agents'
[policies.controls]
send = 'all:home'

[[policies]]
id = 'boss'
[policies.controls]
raww = 'all:home'
lifecycle = 'all:home'

[[policies]]
id = 'watcher'
[policies.controls]
send = 'none'
`;

export const TUI = `format-version = 1
default-bundle = 'team'
default-session = 'user'

[[sessions]]
id = 'user'
name = 'Operator'

[[sessions]]
id = 'guest'
policy = 'watcher'
`;
