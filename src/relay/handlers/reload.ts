// `relay.reload` (and the reload `up` does first): read the configuration again. An invalid
// edit is refused with every problem and the running configuration stays; a valid change is
// applied by restarting the relay in place once this answer is written (agents keep running).
import type { ReloadResult } from '../../core/protocol/index.js';
import { authorize, type Principal } from '../policy.js';
import type { RelayCore } from '../relay-core.js';

/** What `relay.reload` uses. */
export type ReloadDeps = Pick<RelayCore, 'reloadConfig' | 'log'>;

/** Reads the configuration; `restarting` when it changed and the relay restarts with it. */
export function handleReload(core: ReloadDeps, principal: Principal): ReloadResult {
  authorize(principal, 'lifecycle');
  try {
    const { changes } = core.reloadConfig();
    core.log.info('relay.reload', { changes });
    return { changes, restarting: changes.length > 0 };
  } catch (error) {
    core.log.warn('relay.reload_refused', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
