// Which agent a Unix socket peer belongs to, on Linux (docs/reliability.md, "Trust model"): a
// process whose ancestry is an agent's pane or worker is that agent, whatever it claims. Node
// has no SO_PEERCRED, so the peer's socket inode comes from the kernel's sock_diag through
// `ss -xn`, and the processes holding it are looked for among each agent's process tree (and
// the processes carrying its AGENTMUX_INSTANCE marker). Slow next to a plain hello (a process
// spawn), so the relay asks only when a connection presents the operator key.
import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { agentProcesses } from './process-tree.js';

/** The top process of one running agent: its pane's shell or its ACP worker. */
export interface AgentProcessRoot {
  session: string;
  pid: number;
  /** AGENTMUX_INSTANCE of that start, so re-parented daemons still count. */
  instance?: string | undefined;
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** The inode of one of our connected sockets (Linux), read from its file descriptor. */
export function socketInode(socket: Socket): number | undefined {
  // net.Socket keeps its descriptor on the (undocumented but stable) libuv handle.
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return undefined;
  try {
    const match = SOCKET_LINK.exec(readlinkSync(`/proc/self/fd/${fd}`));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses `ss -xnH` output: the peer inode of the Unix socket whose own inode is `local`. */
export function peerInodeFromSs(output: string, local: number): number | undefined {
  for (const line of output.split('\n')) {
    // "u_str ESTAB 0 0 /path/relay.sock 181810 * 181811": read from the end, paths may hold spaces.
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const localPort = Number(fields[fields.length - 3]);
    const peerPort = Number(fields[fields.length - 1]);
    if (localPort === local && Number.isInteger(peerPort) && peerPort > 0) return peerPort;
  }
  return undefined;
}

/** The inode of the other end of our socket `local`, or undefined when `ss` cannot say. */
export function peerInode(local: number, timeoutMs = 2000): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('ss', ['-xnH'], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? undefined : peerInodeFromSs(stdout, local));
    });
  });
}

/** True when process `pid` has the socket `inode` open. */
export function holdsSocket(pid: number, inode: number): boolean {
  const wanted = `socket:[${inode}]`;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return true;
    } catch {
      // closed while we looked
    }
  }
  return false;
}

/**
 * The session whose agent processes hold the socket `inode`, if any. Process trees first (a
 * process cannot change its ancestry), then the instance markers (which a process could copy).
 */
export function agentHoldingSocket(inode: number, roots: readonly AgentProcessRoot[]): string | undefined {
  for (const byMarker of [false, true]) {
    for (const root of roots) {
      if (byMarker && root.instance === undefined) continue;
      const pids = byMarker ? agentProcesses(undefined, root.instance) : agentProcesses(root.pid, undefined);
      if (pids.some((pid) => holdsSocket(pid, inode))) return root.session;
    }
  }
  return undefined;
}

/** What is known about a connection's peer: an agent's session, none, or unknown (not Linux, no `ss`). */
export type PeerOrigin = { kind: 'agent'; session: string } | { kind: 'outside' } | { kind: 'unknown'; why: string };

/** Finds whether the peer of `socket` runs inside one of `roots` (Linux only). */
export async function peerOrigin(
  socket: Socket,
  roots: () => Promise<readonly AgentProcessRoot[]>,
): Promise<PeerOrigin> {
  if (process.platform !== 'linux') return { kind: 'unknown', why: `no peer lookup on ${process.platform}` };
  // Read before the (expensive) peer lookup: with no agent running there is nothing to find.
  const local = socketInode(socket);
  if (local === undefined) return { kind: 'unknown', why: 'socket inode unreadable' };
  const running = await roots();
  if (running.length === 0) return { kind: 'outside' };
  const peer = await peerInode(local);
  if (peer === undefined) return { kind: 'unknown', why: '`ss -xn` did not name the peer' };
  const session = agentHoldingSocket(peer, running);
  return session === undefined ? { kind: 'outside' } : { kind: 'agent', session };
}
