// `agentmux reload`: the running relay reads the configuration again and says what changed; an
// invalid edit is refused with every problem and the relay keeps running as it was. `up` does
// the same first. Without a running relay the configuration is only checked.
import type { Argv, CommandModule } from 'yargs';
import { sleep } from '../../core/clock.js';
import { AgentmuxError } from '../../core/errors.js';
import type { ReloadResult } from '../../core/protocol/index.js';
import type { RelayClient } from '../../client/index.js';
import { bundlePaths, isSocketConnectable } from '../../runtime/index.js';
import { bundleOf, connectAs, rootsOf } from '../context.js';
import type { GlobalArgs } from '../global-args.js';
import { emit, note } from '../print/output.js';
import { execute } from '../run-command.js';

/** How long a client waits for a relay restarting with a new configuration. */
export const RESTART_WAIT_MS = 30_000;

/** What `reload` did: the changes, and whether a relay was running to apply them. */
export interface ReloadOutcome extends ReloadResult {
  bundle: string;
  running: boolean;
}

/**
 * Asks `client`'s relay to reload; when it restarts with a changed configuration, waits until the
 * old connection is closed and returns a connection to the restarted relay.
 */
export async function reloadThrough(
  client: RelayClient,
  reconnect: () => Promise<RelayClient>,
): Promise<{ result: ReloadResult; client: RelayClient }> {
  const closed = new Promise<void>((resolve) => client.onClose(resolve));
  const result = await client.request('relay.reload', {});
  if (!result.restarting) return { result, client };
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, RESTART_WAIT_MS)))]);
  clearTimeout(timer);
  client.close();
  const deadline = Date.now() + RESTART_WAIT_MS;
  for (;;) {
    try {
      return { result, client: await reconnect() };
    } catch (error) {
      const retry = error instanceof AgentmuxError && error.code === 'relay_unavailable' && Date.now() < deadline;
      if (!retry) throw error;
      await sleep(50);
    }
  }
}

/** Reloads the bundle's relay, or only checks the configuration when no relay runs. */
export async function runReload(args: GlobalArgs): Promise<ReloadOutcome> {
  const roots = rootsOf(args);
  const bundle = bundleOf(args, roots);
  if (!(await isSocketConnectable(bundlePaths(roots.stateDir, bundle).socket))) {
    const { loadTeam } = await import('../../config/index.js');
    loadTeam(roots.configDir, bundle); // throws every problem
    return { bundle, running: false, changes: [], restarting: false };
  }
  const { client } = await connectAs(args, { observer: true, autoStart: false });
  const reloaded = await reloadThrough(
    client,
    async () => (await connectAs(args, { observer: true, autoStart: false })).client,
  );
  reloaded.client.close();
  return { bundle, running: true, ...reloaded.result };
}

/** One line per change, or why nothing changed. */
export function reloadLines(outcome: ReloadOutcome): string[] {
  if (!outcome.running) return [`relay for ${outcome.bundle} is not running; the configuration is valid`];
  if (outcome.changes.length === 0) return [`relay for ${outcome.bundle}: configuration unchanged`];
  return [`relay for ${outcome.bundle} reloaded the configuration:`, ...outcome.changes.map((c) => `  ${c}`)];
}

/** Tells the person running `up` what a reload changed (stderr, so `--json` stays one object). */
export function noteChanges(bundle: string, changes: readonly string[]): void {
  if (changes.length > 0) note(`agentmux: ${bundle}: configuration reloaded: ${changes.join('; ')}`);
}

export const reloadCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'reload',
  describe: 'Make the running relay read the configuration again (also done by up, and on SIGHUP)',
  builder: (yargs: Argv<GlobalArgs>) => yargs,
  handler: (args) =>
    execute(args, runReload, (outcome) => {
      emit(args.json, outcome, reloadLines);
      return 0;
    }),
};
