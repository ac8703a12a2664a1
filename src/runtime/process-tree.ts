// Ending an agent completely: its pane's whole process tree plus any same-user process that
// carries its AGENTMUX_INSTANCE marker (daemons that re-parented themselves away, such as
// Gemini CLI's children or Codex's app server).
import { readFileSync, readdirSync } from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  uid: number;
}

function readProcs(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    return entries;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = /^PPid:\s+(\d+)/m.exec(status)?.[1];
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (ppid !== undefined && uid !== undefined)
        entries.push({ pid: Number(name), ppid: Number(ppid), uid: Number(uid) });
    } catch {
      // exited while we looked
    }
  }
  return entries;
}

function hasInstanceMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
  } catch {
    return false;
  }
}

/** Pids of `root` and all its descendants, plus same-uid processes whose environment has AGENTMUX_INSTANCE=instance. */
export function agentProcesses(root: number | undefined, instance: string | undefined): number[] {
  const procs = readProcs();
  const uid = process.getuid?.() ?? -1;
  const found = new Set<number>();
  if (root !== undefined && root > 1) {
    const children = new Map<number, number[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      if (found.has(pid)) continue;
      if (procs.some((p) => p.pid === pid)) found.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
  }
  if (instance) {
    const marker = `AGENTMUX_INSTANCE=${instance}`;
    for (const p of procs) {
      if (p.uid === uid && p.pid !== process.pid && !found.has(p.pid) && hasInstanceMarker(p.pid, marker))
        found.add(p.pid);
    }
  }
  found.delete(process.pid);
  return [...found].sort((a, b) => a - b);
}

/** The parent of `pid` (1 once init adopted it), or undefined when it is gone. */
export function parentPid(pid: number): number | undefined {
  try {
    const ppid = /^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return ppid === undefined ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (a zombie has exited; it only waits for its parent to reap it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGTERM to every pid, SIGKILL to those still alive after `graceMs`; resolves with the pids signalled. */
export async function endProcesses(pids: readonly number[], graceMs = 3000): Promise<number[]> {
  const signalled: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
      signalled.push(pid);
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (signalled.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of signalled) {
    if (!isProcessAlive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // raced with its exit
    }
  }
  return signalled;
}
