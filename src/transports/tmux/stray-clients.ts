// Control clients a relay killed with SIGKILL left behind. tmux hands a control client's stdin
// and stdout to the server, so such a client never sees its relay go: it stays attached for the
// server's life, one process per session per crash, and keeps the server from exiting when its
// last session is killed (tmux waits for attached clients to leave).
import { readFileSync } from 'node:fs';
import { parentPid } from '../../runtime/index.js';

/** True when `pid` is a `tmux … -S <socket> -C attach-session` whose parent is gone (init adopted it). */
export function isStrayControlClient(pid: number, socket: string): boolean {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const at = argv.indexOf('-S');
  return (
    at !== -1 &&
    argv[at + 1] === socket &&
    argv.includes('-C') &&
    argv.includes('attach-session') &&
    parentPid(pid) === 1
  );
}
