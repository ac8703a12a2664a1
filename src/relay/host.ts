// `agentmux host relay`: runs one bundle's relay in the foreground until a signal or a
// `relay.shutdown` request, holding the runtime lock for its whole life.
import { assertSafeRoot, ensureStarterFiles, loadTeam, type Team } from '../config/index.js';
import { toAgentmuxError } from '../core/errors.js';
import { bundlePaths, ensureRuntimeDir, loadLocks, restoreCallerEnv } from '../runtime/index.js';
import { openRelayLog } from './log.js';
import { Relay } from './relay.js';

export interface RelayHostOptions {
  bundle: string;
  configDir: string;
  stateDir: string;
  version: string;
  /** The agentmux entry point, exported to agent panes as AGENTMUX_COMMAND. */
  entryPoint: string;
  /** Start the bundle's autostart sessions (false with --no-autostart). */
  autostart: boolean;
  /** More fields for the `relay.startup` log line (how the relay was loaded). */
  startup?: Record<string, unknown>;
  /** Printed once the socket is listening (a JSON line on stdout in the CLI). */
  onReady?: (summary: Record<string, unknown>) => void;
}

/** Runs the relay until it is asked to stop; resolves with the process exit code. */
export async function runRelayHost(options: RelayHostOptions): Promise<number> {
  // The malloc, heap and certificate settings the spawner changed are for this process only,
  // not for what it starts.
  restoreCallerEnv();
  // Everything the relay creates (socket, journal, log, status) is private to the user.
  process.umask(0o077);
  // The configuration says which commands panes run: another user must not be able to swap it.
  assertSafeRoot(options.configDir, 'config');
  // The relay reads the configuration, so it writes missing starter files (Settled 30).
  ensureStarterFiles(options.configDir);
  const team = loadTeam(options.configDir, options.bundle);
  const paths = bundlePaths(options.stateDir, options.bundle);
  ensureRuntimeDir(paths);
  const { RelayRuntimeLock } = await loadLocks();
  const lock = RelayRuntimeLock.acquire(paths);
  const log = openRelayLog(paths.log);
  // A promise nobody awaited must not end the relay (Node's default): log it and carry on.
  const onRejection = (reason: unknown): void => {
    log.error('relay.unhandled_rejection', {
      error: reason instanceof Error ? reason.message : String(reason),
      ...(reason instanceof Error && reason.stack !== undefined ? { stack: reason.stack } : {}),
    });
  };
  process.on('unhandledRejection', onRejection);
  let relay: Relay | undefined;
  // Wakes the loop below: a stop (signal or relay.shutdown) or a reload that changed the team.
  let wake: (event: { stop: string } | { restart: Team }) => void = () => undefined;
  const onStop = (signal: NodeJS.Signals): void => wake({ stop: signal });
  const onHangup = (): void => {
    // SIGHUP reloads the configuration, as daemons do; an invalid edit is logged and ignored.
    try {
      const changes = relay?.core.reloadConfig().changes ?? [];
      log.info('relay.reload', { changes, trigger: 'SIGHUP' });
      if (changes.length > 0) relay?.core.requestRestart();
    } catch (error) {
      log.warn('relay.reload_refused', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  process.on('SIGINT', onStop);
  process.on('SIGTERM', onStop);
  process.on('SIGHUP', onHangup);
  try {
    log.info('relay.startup', {
      bundle: options.bundle,
      pid: process.pid,
      version: options.version,
      ...options.startup,
    });
    const load = (): Team => loadTeam(options.configDir, options.bundle);
    for (let current = team, first = true; ; first = false) {
      relay = await Relay.start({
        team: current,
        paths,
        version: options.version,
        log,
        roots: { configDir: options.configDir, stateDir: options.stateDir },
        entryPoint: options.entryPoint,
        loadTeam: load,
      });
      if (first && options.autostart && current.bundle.autostart && relay.core.agents) {
        const started = await relay.core.agents.up({});
        log.info('relay.autostart', {
          sessions: started.map((s) => `${s.id}:${s.outcome}${s.reason ? ` (${s.reason})` : ''}`),
        });
      }
      const running = relay;
      const event = await new Promise<{ stop: string } | { restart: Team }>((resolve) => {
        wake = resolve;
        running.onShutdownRequested((reason) => resolve({ stop: reason }));
        running.onRestartRequested((next) => resolve({ restart: next }));
        if (first) {
          options.onReady?.({
            bundle: options.bundle,
            pid: process.pid,
            socket: paths.socket,
            autostart: options.autostart,
          });
        }
      });
      if ('stop' in event) {
        log.info('relay.shutdown', { reason: event.stop });
        return 0;
      }
      // Same process, lock and journal file: only the configuration changes; agents keep running.
      await running.stop();
      relay = undefined;
      current = event.restart;
      log.info('relay.restarted', { reason: 'configuration reloaded' });
    }
  } catch (error) {
    const failure = toAgentmuxError(error);
    log.error('relay.failed', { code: failure.code, error: failure.message });
    throw failure;
  } finally {
    process.off('SIGINT', onStop);
    process.off('SIGTERM', onStop);
    process.off('SIGHUP', onHangup);
    await relay?.stop();
    lock.release();
    log.info('relay.stopped', {});
    process.off('unhandledRejection', onRejection);
    log.close();
  }
}
