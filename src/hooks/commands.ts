// The commands agent CLIs run for our hooks, and how `hooks remove` recognises them.
//
// Program: "${AGENTMUX_COMMAND:-<absolute agentmux>}". `up` exports AGENTMUX_COMMAND into
// every pane (the entry point of the relay that started the agent), so the hook always
// matches the relay's version and the settings file survives a reinstall or a move; the
// absolute path only serves agents started by hand with AGENTMUX_SESSION set. The
// `[ -z "$AGENTMUX_SESSION" ] ||` guard makes the hook free for every agent not run by
// agentmux (the same settings file also applies to the human's own sessions in that
// directory): no node process starts at all.
import type { HookClient } from '../config/index.js';

/** Marks every entry we write (a shell comment in commands, a TOML comment on Codex's line). */
export const HOOK_MARKER = 'agentmux-hook';

// Characters that are literal inside "${VAR:-…}" in every POSIX shell.
const SAFE_PATH = /^[A-Za-z0-9_./@%+=:,~ -]+$/;

/** The quoted program word: $AGENTMUX_COMMAND, else the absolute entry point when it is safe to embed. */
export function programWord(fallbackEntry: string | undefined): string {
  return fallbackEntry !== undefined && SAFE_PATH.test(fallbackEntry)
    ? `"\${AGENTMUX_COMMAND:-${fallbackEntry}}"`
    : '"$AGENTMUX_COMMAND"';
}

/** The shell command Claude Code or Gemini CLI runs for `event` (payload on stdin). */
export function hookShellCommand(client: Exclude<HookClient, 'codex'>, event: string, fallbackEntry?: string): string {
  return `[ -z "$AGENTMUX_SESSION" ] || ${programWord(fallbackEntry)} hook --client ${client} ${event} # ${HOOK_MARKER}`;
}

/** Codex `notify` argv: Codex appends the payload JSON, which `sh -c` passes on as "$1". */
export function codexNotifyArgv(fallbackEntry?: string): string[] {
  const script = `[ -z "$AGENTMUX_SESSION" ] || exec ${programWord(fallbackEntry)} hook --client codex "$1" # ${HOOK_MARKER}`;
  return ['sh', '-c', script, HOOK_MARKER];
}

/** True for a command string `hooks install` wrote. */
export function isAgentmuxHookCommand(command: unknown): boolean {
  return typeof command === 'string' && command.includes(`# ${HOOK_MARKER}`) && command.includes(' hook --client ');
}
