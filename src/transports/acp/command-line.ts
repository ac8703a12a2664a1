// Turns a `[coders.acp] command` into an argv without a shell: shell-style quoting and
// `$VAR` expansion from the worker's environment, but no pipes, redirections or lists.
import { parse } from 'shell-quote';
import { AgentmuxError } from '../../core/errors.js';

/**
 * Splits `command` like a POSIX shell would split one simple command. Quotes and escapes are
 * honoured, `$NAME`/`${NAME}` expand from `env` (unset ones become empty), a glob stays literal,
 * a `#` comment ends the command; operators (`|`, `;`, `&&`, `>` …) are refused, because the
 * agent runs without a shell.
 */
export function parseAgentCommand(command: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const argv: string[] = [];
  for (const entry of parse(command, env)) {
    if (typeof entry === 'string') {
      argv.push(entry);
      continue;
    }
    if ('comment' in entry) break;
    if (entry.op === 'glob') {
      argv.push(entry.pattern);
      continue;
    }
    throw new AgentmuxError(
      'validation_invalid_config',
      `ACP command uses the shell operator "${entry.op}"; the agent runs without a shell`,
      {
        details: { command, operator: entry.op },
        hint: 'wrap it in a script, or write `sh -c "…"` as the command',
      },
    );
  }
  if (argv.length === 0 || argv[0] === '') {
    throw new AgentmuxError('validation_invalid_config', 'ACP command is empty', { details: { command } });
  }
  return argv;
}
