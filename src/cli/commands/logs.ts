// `agentmux logs [--follow]`: the relay's structured log for the bundle, readable or raw.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { sleep } from '../../core/clock.js';
import { bundlePaths } from '../../runtime/index.js';
import { bundleOf, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { out } from '../print/output.js';
import { execute } from '../run-command.js';

export interface LogsArgs extends GlobalArgs {
  lines: number;
  follow: boolean;
}

/** One log line for people: `time level event key=value…`; raw JSON with --json. */
export function formatLogLine(line: string, json: boolean): string {
  if (json) return line;
  try {
    const { time, level, event, pid: _pid, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
    const details = Object.entries(rest)
      .map(([key, value]) => `${key}=${text(value)}`)
      .join(' ');
    return `${text(time)} ${text(level).padEnd(5)} ${text(event)} ${details}`.trimEnd();
  } catch {
    return line;
  }
}

function readFrom(path: string, offset: number): { text: string; next: number } {
  const size = statSync(path).size;
  if (size <= offset) return { text: '', next: size < offset ? 0 : offset };
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.toString('utf8'), next: size };
  } finally {
    closeSync(fd);
  }
}

/** Prints the last `lines` lines, then (with --follow) new lines until Ctrl-C. */
export async function runLogs(args: LogsArgs): Promise<void> {
  const roots = rootsOf(args);
  const path = bundlePaths(roots.stateDir, bundleOf(args, roots)).log;
  if (!existsSync(path) && !args.follow) return;
  let offset = 0;
  if (existsSync(path)) {
    const { text, next } = readFrom(path, 0);
    for (const line of text.split('\n').filter(Boolean).slice(-args.lines)) out(formatLogLine(line, args.json));
    offset = next;
  }
  if (!args.follow) return;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  let partial = '';
  while (!stop.signal.aborted) {
    await sleep(250, stop.signal).catch(() => undefined);
    if (!existsSync(path)) continue;
    const { text, next } = readFrom(path, offset);
    offset = next;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) out(formatLogLine(line, args.json));
  }
}

export const logsCommand: CommandModule<GlobalArgs, LogsArgs> = {
  command: 'logs',
  describe: "Show the bundle relay's log (JSON lines with --json)",
  builder: (yargs: Argv<GlobalArgs>) =>
    yargs
      .option('lines', { alias: 'n', type: 'number', default: 50, describe: 'How many recent lines' })
      .option('follow', {
        alias: 'f',
        type: 'boolean',
        default: false,
        describe: 'Keep printing new lines until Ctrl-C',
      }),
  handler: (args) => execute(args, runLogs, () => 0),
};
