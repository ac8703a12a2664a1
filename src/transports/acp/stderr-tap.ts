// An agent's stderr, line by line: the first lines of each process go to the relay log, the
// rest are counted once, and the last few are kept to explain a crash.

/** stderr lines written to the relay log per agent process; later ones are only counted. */
export const STDERR_LOG_LINES = 200;
/** Lines kept to explain an exit. */
const TAIL_LINES = 3;

/** Receives one agent process's stderr lines. */
export class StderrTap {
  private count = 0;
  private readonly last: string[] = [];

  constructor(
    private readonly session: string,
    private readonly log: (level: 'info' | 'warn', event: string, details: Record<string, unknown>) => void,
  ) {}

  /** One line of stderr. */
  line(line: string): void {
    this.last.push(line);
    if (this.last.length > TAIL_LINES) this.last.shift();
    this.count += 1;
    if (this.count <= STDERR_LOG_LINES) this.log('info', 'acp.stderr', { session: this.session, line });
    else if (this.count === STDERR_LOG_LINES + 1)
      this.log('warn', 'acp.stderr_suppressed', { session: this.session, after_lines: STDERR_LOG_LINES });
  }

  /** `reason`, followed by the last stderr line when there is one. */
  explain(reason: string): string {
    const last = this.last.at(-1);
    return last === undefined ? reason : `${reason} (stderr: ${last})`;
  }
}
