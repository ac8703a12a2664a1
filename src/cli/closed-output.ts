// Shared by the CLI entry and the send bundle (dist/send.js).
/**
 * A reader that went away (`agentmux history | head -1`) ends the command quietly: without
 * this, the next write throws EPIPE as an unhandled 'error' event with a stack trace.
 */
export function exitQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw error;
    });
  }
}
