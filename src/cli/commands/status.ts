// `agentmux status`: the bundle's status line from the runtime dir's status files, as text, a
// tmux-formatted string or JSON. It never starts (or even connects to) a relay.
import { existsSync, readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { StatusSnapshotSchema, type StatusSnapshot } from '../../core/protocol/index.js';
import { formatStatusLine } from '../../core/status-line.js';
import { bundlePaths } from '../../runtime/index.js';
import { bundleOf, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emitLine, out } from '../print/output.js';
import { execute } from '../run-command.js';

export type StatusFormat = 'text' | 'tmux' | 'json';

export interface StatusArgs extends GlobalArgs {
  format: StatusFormat;
}

/** The snapshot as read, with `relay.state` down when no live relay stands behind it. */
export interface StatusReport {
  bundle: string;
  running: boolean;
  /** The one-line status (`<bundle>: relay down` when down). */
  line: string;
  snapshot: StatusSnapshot;
}

/** Reads status.json (and the `status` line) of the bundle; a dead relay's leftovers read as down. */
export function runStatus(args: GlobalArgs): StatusReport {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  const paths = bundlePaths(roots.stateDir, bundle);
  const stored = readSnapshot(paths.statusJson);
  // A relay killed with SIGKILL leaves a "running" snapshot behind; its pid and socket tell.
  const running =
    stored !== undefined && stored.relay.state === 'running' && pidAlive(stored.relay.pid) && existsSync(paths.socket);
  if (!running || stored === undefined) {
    const snapshot: StatusSnapshot = {
      ...(stored ?? { bundle, updated_at: new Date().toISOString(), sessions: [], needs_operator: [] }),
      relay: { state: 'down', pid: null },
    };
    return { bundle, running: false, line: formatStatusLine(snapshot), snapshot };
  }
  return { bundle, running, line: readLine(paths.status) ?? formatStatusLine(stored), snapshot: stored };
}

const TMUX_COLOURS: Record<StatusSnapshot['sessions'][number]['state'], string> = {
  idle: 'green',
  busy: 'yellow',
  waiting_input: 'red,bold',
  failed: 'red',
  offline: 'colour244',
  starting: 'cyan',
};
const TMUX_MARKS: Record<StatusSnapshot['sessions'][number]['state'], string> = {
  idle: '',
  busy: '*',
  waiting_input: '!',
  failed: '✗',
  offline: '-',
  starting: '~',
};

/** A short tmux-formatted line: each session coloured by state, `+n` queued, `✉n` unread. */
export function tmuxStatus(report: StatusReport): string {
  if (!report.running) return `#[fg=colour244]${report.bundle}: relay down#[default]`;
  const parts = report.snapshot.sessions.map((session) => {
    const extras = `${session.queued > 0 ? `+${session.queued}` : ''}${session.unread > 0 ? `✉${session.unread}` : ''}`;
    if (session.host !== undefined) {
      // A session on another host: `alice@build`, greyed with `offline` when that host is unreachable.
      const name = `${session.id}@${session.host}`;
      if (session.reachable === false) return `#[fg=colour244]${name} offline${extras}#[default]`;
      return `#[fg=${TMUX_COLOURS[session.state]}]${name}${TMUX_MARKS[session.state]}${extras}#[default]`;
    }
    return `#[fg=${TMUX_COLOURS[session.state]}]${session.id}${TMUX_MARKS[session.state]}${extras}#[default]`;
  });
  return `#[fg=colour244]${report.bundle}#[default] ${parts.join(' ')}`;
}

function readSnapshot(path: string): StatusSnapshot | undefined {
  try {
    const parsed = StatusSnapshotSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function readLine(path: string): string | undefined {
  try {
    const line = readFileSync(path, 'utf8').split('\n')[0]?.trim();
    return line ? line : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function print(report: StatusReport, args: StatusArgs): number {
  const format = args.json ? 'json' : args.format;
  if (format === 'json') emitLine(report.snapshot);
  else out(format === 'tmux' ? tmuxStatus(report) : report.line);
  return 0;
}

export const statusCommand: CommandModule<GlobalArgs, StatusArgs> = {
  command: 'status',
  describe: "Print the bundle's status line (never starts a relay)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs.option('format', {
      choices: ['text', 'tmux', 'json'] as const,
      default: 'text' as const,
      describe: 'text (the status file), tmux (with #[fg=…] colours) or json (status.json)',
    }),
  handler: (args) => execute(args, runStatus, print),
};
