// One bundle's private tmux server (`tmux -S <state>/bundles/<b>/tmux.sock`): its config, its
// sessions (one per agent, named by session id, targeted as `=<id>`), and pane queries by pane id.
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { AgentmuxError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/safe-file.js';
import { SpawnTmuxRunner, tmuxCommandError, type TmuxRunner } from './runner.js';
import { tmuxFailure } from './tmux-errors.js';
import { newSessionArgs, type NewSessionSpec } from './session-args.js';
import { renderTmuxConf } from './tmux-conf.js';
import { isStrayControlClient } from './stray-clients.js';
import { NO_SERVER, checkPaneId, checkSessionId, invalidParams, isGone, paneGoneError } from './tmux-targets.js';

export type { NewSessionSpec } from './session-args.js';

/** Live state of one pane, read in one tmux call. */
export interface PaneInfo {
  paneId: string;
  pid: number;
  cursorX: number;
  cursorY: number;
  /** Copy mode or another mode is showing; typing would go to the mode, not the program. */
  inMode: boolean;
  /** The program exited and the pane stays only because of remain-on-exit. */
  dead: boolean;
  width: number;
  height: number;
}

/** One session on the server; `owned` means agentmux created it (`@agentmux_owned`). */
export interface SessionListing {
  id: string;
  /** The active pane of the session's active window. */
  paneId: string;
  owned: boolean;
  /** Attached clients excluding control-mode clients (ours), i.e. humans. */
  attachedClients: number;
  /** The pane's program exited; the pane stays only because of remain-on-exit. */
  dead: boolean;
}

/** How to reach and configure the server. */
export interface TmuxServerOptions {
  socket: string;
  /** Where the generated tmux.conf lives; the server starts with `-f <confPath>`. */
  confPath: string;
  userConf?: string;
  detachKey?: string;
  /** Runs every command except new-session; default a SpawnTmuxRunner (not closed by close()). */
  runner?: TmuxRunner;
  /** tmux program and client environment for spawned clients (the server inherits the latter). */
  binary?: string;
  env?: NodeJS.ProcessEnv;
}

const OPTION_NAME = /^@?[A-Za-z][A-Za-z0-9_-]*$/;
const NEW_SESSION_TIMEOUT_MS = 10_000;
const NEW_SESSION_ATTEMPTS = 3;
const SEP = '\t';

/** Controls one bundle's private tmux server. */
export class TmuxServer {
  readonly socket: string;
  private readonly runner: TmuxRunner;
  // new-session always goes through a spawned client: it may be the command that starts the
  // server, and only a client that starts the server can pass `-f`.
  private readonly starter: SpawnTmuxRunner;
  private creating: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TmuxServerOptions) {
    this.socket = options.socket;
    const spawnOptions = { socket: options.socket, binary: options.binary, env: options.env };
    this.starter = new SpawnTmuxRunner({ ...spawnOptions, configFile: options.confPath });
    this.runner = options.runner ?? new SpawnTmuxRunner(spawnOptions);
  }

  /** Writes tmux.conf (mode 0600, atomically); the server reads it only when it starts. */
  writeConf(): void {
    const text = renderTmuxConf({ userConf: this.options.userConf, detachKey: this.options.detachKey });
    writeFileAtomic(this.options.confPath, text, { mode: 0o600 });
  }

  /** True when a session named exactly `id` exists; false also when no server runs. */
  async hasSession(id: string): Promise<boolean> {
    const result = await this.runner.run(['has-session', '-t', `=${checkSessionId(id)}`]);
    if (result.code === 0) return true;
    if (isGone(result)) return false;
    throw tmuxCommandError(['has-session'], result);
  }

  /** Every session on the server (empty when no server runs). */
  async listSessions(): Promise<SessionListing[]> {
    const sessions = await this.runner.run([
      'list-sessions',
      '-F',
      ['#{pane_id}', '#{@agentmux_owned}', '#{pane_dead}', '#{session_name}'].join(SEP),
    ]);
    if (sessions.code !== 0) {
      if (isGone(sessions)) return [];
      throw tmuxCommandError(['list-sessions'], sessions);
    }
    const clients = await this.runner.run([
      'list-clients',
      '-F',
      ['#{client_control_mode}', '#{session_name}'].join(SEP),
    ]);
    const humans = new Map<string, number>();
    if (clients.code === 0) {
      for (const [control = '', name = ''] of rows(clients.stdout, 2)) {
        if (control !== '1') humans.set(name, (humans.get(name) ?? 0) + 1);
      }
    }
    return rows(sessions.stdout, 4).map(([paneId = '', owned = '', dead = '', id = '']) => ({
      id,
      paneId,
      owned: owned === '1',
      attachedClients: humans.get(id) ?? 0,
      dead: dead === '1',
    }));
  }

  /**
   * Creates a detached session and marks it owned; returns its pane id, which is how the pane is
   * targeted from then on. Starts the server (with our config) when none runs. Calls are serialised
   * and retried when a concurrently starting server is not ready yet.
   */
  async newSession(spec: NewSessionSpec): Promise<{ paneId: string }> {
    const args = newSessionArgs(spec);
    if (!existsSync(this.options.confPath)) this.writeConf();
    const created = this.creating.then(() => this.startSession(args));
    this.creating = created.catch(() => undefined);
    const paneId = await created;
    // set-option resolves its target as a pane: `=id` alone is read as a window name, `=id:` is exact.
    const marked = await this.runner.run(['set-option', '-t', `=${spec.id}:`, '@agentmux_owned', '1']);
    if (marked.code !== 0) {
      if (isGone(marked)) {
        throw new AgentmuxError(
          'runtime_target_unavailable',
          `the command of session ${spec.id} exited right after it started`,
          {
            details: { session: spec.id, command: spec.command },
          },
        );
      }
      throw tmuxCommandError(['set-option'], marked);
    }
    return { paneId };
  }

  /** Kills session `id`; a missing session or server is not an error. */
  async killSession(id: string): Promise<void> {
    const result = await this.runner.run(['kill-session', '-t', `=${checkSessionId(id)}`]);
    if (result.code !== 0 && !isGone(result)) throw tmuxCommandError(['kill-session'], result);
  }

  /** Kills the server and removes its socket file; a server that is not running is not an error. */
  async killServer(): Promise<void> {
    const result = await this.starter.run(['kill-server']);
    if (result.code !== 0 && !isGone(result)) throw tmuxCommandError(['kill-server'], result);
    // A server that still answers (it failed to exit) keeps its socket: unlinked, it could
    // never be reached, or killed, again.
    if ((await this.starter.run(['list-sessions'])).code === 0) return;
    try {
      if (lstatSync(this.socket).isSocket()) unlinkSync(this.socket);
    } catch {
      // already gone
    }
  }

  /** Ends control clients left attached by a relay that died without detaching them. */
  async endStrayControlClients(): Promise<number[]> {
    const clients = await this.runner.run([
      'list-clients',
      '-F',
      ['#{client_control_mode}', '#{client_pid}'].join(SEP),
    ]);
    if (clients.code !== 0) return [];
    const ended: number[] = [];
    for (const [control = '', pid = ''] of rows(clients.stdout, 2)) {
      const id = Number(pid);
      if (control !== '1' || !isStrayControlClient(id, this.socket)) continue;
      try {
        process.kill(id, 'SIGTERM');
        ended.push(id);
      } catch {
        // exited meanwhile
      }
    }
    return ended;
  }

  /**
   * The pane's text without escapes. Without `lines`: exactly one entry per screen row (trailing
   * spaces trimmed, rows not joined), so `lines[cursorY]` is the cursor's row. With `lines`:
   * scrollback and screen without trailing blank rows, at most the last `lines` rows (for showing
   * a pane to a person). Throws `runtime_target_unavailable` when the pane is gone.
   */
  async capture(paneId: string, lines?: number): Promise<string[]> {
    const args = ['capture-pane', '-p', '-t', checkPaneId(paneId)];
    if (lines !== undefined) {
      if (!Number.isInteger(lines) || lines < 1)
        throw invalidParams(`capture lines must be a positive integer, got ${lines}`);
      args.push('-S', `-${lines}`);
    }
    const stdout = await this.paneCommand(paneId, args);
    const rows = stdout.endsWith('\n') ? stdout.slice(0, -1).split('\n') : stdout.split('\n');
    if (lines === undefined) return rows;
    while (rows.length > 0 && (rows[rows.length - 1] ?? '').trim() === '') rows.pop();
    return rows.slice(-lines);
  }

  /** The pane's pid, cursor, mode and size, or null when the pane (or the server) is gone. */
  async paneInfo(paneId: string): Promise<PaneInfo | null> {
    const fields = [
      'pane_id',
      'pane_pid',
      'cursor_x',
      'cursor_y',
      'pane_in_mode',
      'pane_dead',
      'pane_width',
      'pane_height',
    ];
    const result = await this.runner.run([
      'display-message',
      '-p',
      '-t',
      checkPaneId(paneId),
      fields.map((name) => `#{${name}}`).join(SEP),
    ]);
    if (result.code !== 0) {
      if (isGone(result)) return null;
      throw tmuxCommandError(['display-message'], result);
    }
    const [id, pid, x, y, mode, dead, width, height] = result.stdout.replace(/\n$/, '').split(SEP);
    // display-message falls back to no pane (empty fields) instead of failing for a missing one.
    if (id !== paneId) return null;
    return {
      paneId,
      pid: Number(pid),
      cursorX: Number(x),
      cursorY: Number(y),
      inMode: mode === '1',
      dead: dead === '1',
      width: Number(width),
      height: Number(height),
    };
  }

  /** Attached clients of session `sessionId` that are not control-mode clients, i.e. humans. */
  async humanClients(sessionId: string): Promise<number> {
    const result = await this.runner.run([
      'list-clients',
      '-t',
      `=${checkSessionId(sessionId)}`,
      '-F',
      '#{client_control_mode}',
    ]);
    if (result.code !== 0) {
      if (isGone(result)) return 0;
      throw tmuxCommandError(['list-clients'], result);
    }
    return rows(result.stdout, 1).filter(([control]) => control !== '1').length;
  }

  /**
   * When a person last pressed a key in session `sessionId` (epoch ms, whole seconds as tmux
   * keeps them), from the attached clients that are not control clients; undefined if none.
   */
  async lastHumanInput(sessionId: string): Promise<number | undefined> {
    const result = await this.runner.run([
      'list-clients',
      '-t',
      `=${checkSessionId(sessionId)}`,
      '-F',
      `#{client_control_mode}${SEP}#{client_activity}`,
    ]);
    if (result.code !== 0) {
      if (isGone(result)) return undefined;
      throw tmuxCommandError(['list-clients'], result);
    }
    const seconds = rows(result.stdout, 2)
      .filter(([control]) => control !== '1')
      .map(([, activity]) => Number(activity))
      .filter((value) => Number.isFinite(value) && value > 0);
    return seconds.length === 0 ? undefined : Math.max(...seconds) * 1000;
  }

  /** Leaves copy mode (or any mode) in the pane; a pane not in a mode is left alone. */
  async cancelCopyMode(paneId: string): Promise<void> {
    await this.paneCommand(paneId, ['copy-mode', '-q', '-t', checkPaneId(paneId)]);
  }

  /** Sets a global option, e.g. the status user option; does nothing when no server runs. */
  async setGlobalOption(name: string, value: string): Promise<void> {
    if (!OPTION_NAME.test(name)) throw invalidParams(`not a tmux option name: ${JSON.stringify(name)}`);
    const result = await this.runner.run(['set-option', '-g', name, value]);
    if (result.code !== 0 && !NO_SERVER.test(result.stderr)) throw tmuxCommandError(['set-option'], result);
  }

  /** Releases the runners this server created; a runner passed in stays open (its owner closes it). */
  close(): void {
    this.starter.close();
    if (this.options.runner === undefined) this.runner.close();
  }

  private async startSession(args: string[]): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      const result = await this.starter.run(args, { timeoutMs: NEW_SESSION_TIMEOUT_MS });
      if (result.code === 0) {
        const paneId = result.stdout.trim();
        if (/^%\d+$/.test(paneId)) return paneId;
        const reason = `tmux new-session printed no pane id: ${JSON.stringify(paneId)}`;
        throw tmuxFailure(reason, {
          args: ['new-session'],
          durationMs: result.durationMs ?? null,
          cause: { kind: 'output', reason },
        });
      }
      if (attempt >= NEW_SESSION_ATTEMPTS || !NO_SERVER.test(result.stderr))
        throw tmuxCommandError(['new-session'], result);
      await new Promise((resolve) => setTimeout(resolve, 35 * attempt));
    }
  }

  private async paneCommand(paneId: string, args: string[]): Promise<string> {
    const result = await this.runner.run(args);
    if (result.code === 0) return result.stdout;
    if (isGone(result)) throw paneGoneError(paneId, result);
    throw tmuxCommandError(args, result);
  }
}

function rows(stdout: string, fields: number): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parts = line.split(SEP);
      // The last field (a session name) may itself contain the separator.
      return [...parts.slice(0, fields - 1), parts.slice(fields - 1).join(SEP)];
    });
}
