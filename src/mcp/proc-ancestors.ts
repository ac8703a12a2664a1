// The chain of parent processes with their environments, read from /proc (Linux). A process
// whose environ cannot be read (another user's) is still walked through, just without env.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ancestor process as the identity resolver sees it. */
export interface AncestorProcess {
  pid: number;
  /** The short command name (`comm`), when readable. */
  name?: string;
  /** The environment the process was started with; undefined when unreadable. */
  env?: Record<string, string>;
}

/** Deep enough for any real launcher chain; stops a corrupt /proc from looping forever. */
const MAX_DEPTH = 64;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parses /proc/<pid>/environ (NUL-separated NAME=value). */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/** The parent pid from /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parentFromStat(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const ppid = Number.parseInt(fields[1] ?? '', 10);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Ancestors of `start` (default: this process's parent), nearest first, up to but excluding pid 1. */
export function* procAncestors(start: number = process.ppid, procRoot = '/proc'): Generator<AncestorProcess> {
  const seen = new Set<number>();
  let pid: number | undefined = start;
  while (pid !== undefined && pid > 1 && !seen.has(pid) && seen.size < MAX_DEPTH) {
    seen.add(pid);
    const dir = join(procRoot, String(pid));
    const stat = read(join(dir, 'stat'));
    if (stat === undefined) return;
    const environ = read(join(dir, 'environ'));
    const name = read(join(dir, 'comm'))?.trim();
    yield {
      pid,
      ...(name ? { name } : {}),
      ...(environ === undefined ? {} : { env: parseEnviron(environ) }),
    };
    pid = parentFromStat(stat);
  }
}
