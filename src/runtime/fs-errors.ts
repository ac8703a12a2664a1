// Filesystem failures become runtime_io_failed with the action and errno named, so a user
// sees which file of the runtime dir could not be touched.
import { AgentmuxError } from '../core/errors.js';

/** Wraps a filesystem failure as runtime_io_failed, keeping the errno code in the details. */
export function ioFailed(action: string, error: unknown): AgentmuxError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return new AgentmuxError('runtime_io_failed', `${action} failed: ${reason}`, {
    details: { action, ...(code === undefined ? {} : { errno: code }) },
    cause: error,
  });
}

/** True when `error` is a Node errno error with `code`. */
export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
