// Checks for what we put on tmux command lines, and the reading of tmux's "it is gone" answers,
// shared by the server and the injector.
import { AgentmuxError } from '../../core/errors.js';
import { SESSION_ID_PATTERN } from '../../core/ids.js';
import type { TmuxResult } from './runner.js';

/** stderr of a command sent when no server runs (or it died meanwhile). */
export const NO_SERVER = /no server running|error connecting to|server exited unexpectedly|lost server/;
const MISSING_TARGET = /can't find (session|window|pane)|no such session/;
const PANE_ID = /^%\d+$/;

/** True when tmux failed because the server, session, window or pane does not exist. */
export function isGone(result: TmuxResult): boolean {
  return NO_SERVER.test(result.stderr) || MISSING_TARGET.test(result.stderr);
}

/** The error for a pane that no longer exists (the relay maps it to `pane_gone`). */
export function paneGoneError(paneId: string, result: TmuxResult): AgentmuxError {
  return new AgentmuxError('runtime_target_unavailable', `tmux pane ${paneId} is gone`, {
    details: { paneId, stderr: result.stderr.trim() },
  });
}

/** Returns `id` when it is a session id (so `=id` names exactly one tmux session), else throws. */
export function checkSessionId(id: string): string {
  if (!SESSION_ID_PATTERN.test(id)) throw invalidParams(`not a session id: ${JSON.stringify(id)}`);
  return id;
}

/** Returns `paneId` when it is a tmux pane id (`%N`), else throws. */
export function checkPaneId(paneId: string): string {
  if (!PANE_ID.test(paneId)) throw invalidParams(`not a tmux pane id: ${JSON.stringify(paneId)}`);
  return paneId;
}

/** A `validation_invalid_params` error for a bad argument. */
export function invalidParams(message: string): AgentmuxError {
  return new AgentmuxError('validation_invalid_params', message);
}
