// Opening the relay's Unix socket. A relay whose accept queue is full (a flood, a stalled event
// loop, a small net.core.somaxconn) makes connect fail with EAGAIN: the relay is alive, so the
// client waits a little and tries again instead of reporting that nobody listens.
import { connect, type Socket } from 'node:net';
import { AgentmuxError } from '../core/errors.js';

/** How long a client keeps retrying a full accept queue before it reports relay_busy. */
export const DEFAULT_BUSY_RETRY_MS = 5_000;

export interface ConnectSocketOptions {
  /** How long to keep retrying EAGAIN; default DEFAULT_BUSY_RETRY_MS. */
  busyRetryMs?: number;
}

/** Connects to the relay socket, retrying a full accept queue with a growing pause. */
export async function connectRelaySocket(socketPath: string, options: ConnectSocketOptions = {}): Promise<Socket> {
  const deadline = Date.now() + (options.busyRetryMs ?? DEFAULT_BUSY_RETRY_MS);
  for (let pauseMs = 5; ; pauseMs = Math.min(pauseMs * 2, 200)) {
    try {
      return await connectOnce(socketPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && Date.now() + pauseMs < deadline) {
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        continue;
      }
      throw connectFailure(socketPath, error as NodeJS.ErrnoException);
    }
  }
}

function connectOnce(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const onError = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function connectFailure(socketPath: string, error: NodeJS.ErrnoException): AgentmuxError {
  if (error.code === 'EAGAIN') {
    return new AgentmuxError('relay_busy', `the relay at ${socketPath} is not accepting connections fast enough`, {
      details: { socket: socketPath, errno: 'EAGAIN' },
      hint: 'the relay is overloaded (its accept queue stayed full); retry in a moment, or check `agentmux relay status`',
    });
  }
  return new AgentmuxError(
    'relay_unavailable',
    `cannot connect to relay at ${socketPath}: ${error.code ?? error.message}`,
    {
      details: { socket: socketPath },
    },
  );
}
