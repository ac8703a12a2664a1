// A runner that prefers a fast runner (a control client) and switches to a slow, always
// available one (spawned tmux clients) as soon as the fast one is gone.
import type { TmuxResult, TmuxRunOptions, TmuxRunner } from './runner.js';

/** A runner that can end on its own, like a control client whose session was killed. */
export interface ClosableTmuxRunner extends TmuxRunner {
  readonly closed: boolean;
}

/**
 * Sends each command to `primary` while it is open, else to `fallback`. A command already in
 * flight when the primary ends is not retried (it may have run), so its caller sees the error.
 */
export class FallbackTmuxRunner implements TmuxRunner {
  constructor(
    private readonly primary: ClosableTmuxRunner | null,
    private readonly fallback: TmuxRunner,
  ) {}

  /** Which runner the next command goes to. */
  get mode(): 'control' | 'spawn' {
    return this.primary !== null && !this.primary.closed ? 'control' : 'spawn';
  }

  run(args: string[], options?: TmuxRunOptions): Promise<TmuxResult> {
    return this.primary !== null && !this.primary.closed
      ? this.primary.run(args, options)
      : this.fallback.run(args, options);
  }

  close(): void {
    try {
      this.primary?.close();
    } finally {
      this.fallback.close();
    }
  }
}
