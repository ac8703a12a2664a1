// A tmux runner that keeps a control-mode client when it can: control mode needs a session
// to attach to, and the client ends when that session does, so it is re-created on demand.
import { createTmuxRunner } from './control-client.js';
import type { FallbackTmuxRunner } from './fallback-runner.js';
import { SpawnTmuxRunner, type TmuxResult, type TmuxRunOptions, type TmuxRunner } from './runner.js';

/** How often a missing control client may be re-attached. */
export const CONTROL_RETRY_MS = 2000;

/** Control mode when a session exists, spawned clients otherwise. */
export class LiveTmuxRunner implements TmuxRunner {
  private current: FallbackTmuxRunner | undefined;
  private readonly spawned: SpawnTmuxRunner;
  private lastAttempt = 0;
  private attaching: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly socket: string) {
    this.spawned = new SpawnTmuxRunner({ socket });
  }

  /** 'control' while a control client carries the commands. */
  get mode(): 'control' | 'spawn' {
    return this.current?.mode ?? 'spawn';
  }

  /** Attaches a control client to `session` if none is live (rate-limited). */
  ensureControl(session: string | undefined): Promise<void> {
    if (this.closed || session === undefined || this.mode === 'control') return Promise.resolve();
    if (this.attaching) return this.attaching;
    if (Date.now() - this.lastAttempt < CONTROL_RETRY_MS) return Promise.resolve();
    this.lastAttempt = Date.now();
    this.attaching = (async () => {
      try {
        const next = await createTmuxRunner(this.socket, session);
        if (this.closed || next.mode !== 'control') {
          next.close();
          return;
        }
        this.current?.close();
        this.current = next;
      } finally {
        this.attaching = undefined;
      }
    })();
    return this.attaching;
  }

  run(args: string[], options?: TmuxRunOptions): Promise<TmuxResult> {
    return this.mode === 'control' && this.current ? this.current.run(args, options) : this.spawned.run(args, options);
  }

  close(): void {
    this.closed = true;
    this.current?.close();
    this.spawned.close();
  }
}
