// One ACP agent process and the client side of its connection: spawned without a shell in
// its own process group, spoken to with @agentclientprotocol/sdk (loaded on first use), its
// stderr read line by line so a chatty agent can never stall on a full pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import type {
  InitializeResponse,
  PromptResponse,
  RequestPermissionRequest,
  RequestPermissionResponse,
  SessionNotification,
} from '@agentclientprotocol/sdk';

/** Largest ACP frame accepted from an agent; a bigger one ends the connection. */
export const MAX_ACP_FRAME_BYTES = 8 * 1024 * 1024;
/** Longest stderr line passed on; the rest of it is dropped. */
export const MAX_STDERR_LINE_CHARS = 1000;
/** How long a closed connection waits for the process's exit status before reporting. */
const EXIT_STATUS_WAIT_MS = 200;

/** What to run. */
export interface PeerSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** clientInfo.version in `initialize`. */
  clientVersion: string;
}

/** Callbacks from the agent's side of the connection. */
export interface PeerHandlers {
  onUpdate(notification: SessionNotification): void;
  onPermission(request: RequestPermissionRequest, signal: AbortSignal): Promise<RequestPermissionResponse>;
  onStderr(line: string): void;
  /** The process exited or the connection ended (called once, with a human-readable reason). */
  onExit(reason: string): void;
}

/** A running agent, as the worker drives it. */
export interface AcpPeer {
  readonly pid: number | undefined;
  /** True once the connection has ended (the agent exited or closed its stdout). */
  readonly closed: boolean;
  initialize(): Promise<InitializeResponse>;
  newSession(cwd: string): Promise<string>;
  loadSession(sessionId: string, cwd: string): Promise<void>;
  prompt(sessionId: string, text: string): Promise<PromptResponse>;
  /** Sends `session/cancel`; the agent answers the pending prompt with `cancelled`. */
  cancel(sessionId: string): void;
  /** Closes the connection and the agent's stdin (the process is ended by the caller). */
  close(): void;
}

/** Starts an agent; rejects when the program cannot be started at all. */
export type LaunchPeer = (spec: PeerSpec, handlers: PeerHandlers) => Promise<AcpPeer>;

/** The real launcher: a child process speaking NDJSON JSON-RPC on stdio. */
export const launchAcpPeer: LaunchPeer = async (spec, handlers) => {
  const acp = await import('@agentclientprotocol/sdk');
  const [program, ...args] = spec.argv;
  const child = spawn(program ?? '', args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  await started(child);
  let reported = false;
  const report = (reason: string): void => {
    if (reported) return;
    reported = true;
    handlers.onExit(reason);
  };
  const stderr = new LineSplitter((line) => handlers.onStderr(line));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderr.push(chunk));
  child.stderr.on('end', () => stderr.flush());
  // A write to an agent that just died must not take the relay down.
  child.stdin.on('error', () => undefined);
  child.stdout.on('error', () => undefined);
  child.on('error', () => undefined);
  child.on('exit', (code, signal) => report(signal ? `exited on ${signal}` : `exited with code ${code ?? 0}`));

  const stream = acp.ndJsonStream(
    Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
    { maxMessageBytes: MAX_ACP_FRAME_BYTES },
  );
  const connection = acp
    .client({ name: 'agentmux-relay' })
    .onNotification(acp.methods.client.session.update, ({ params }) => handlers.onUpdate(params))
    .onRequest(acp.methods.client.session.requestPermission, ({ params, signal }) =>
      handlers.onPermission(params, signal),
    )
    .connect(stream);
  const onClosed = (): void => {
    setTimeout(() => report('closed its ACP connection'), EXIT_STATUS_WAIT_MS).unref();
  };
  connection.closed.then(onClosed, onClosed);
  const agent = connection.agent;

  return {
    pid: child.pid,
    get closed() {
      return connection.signal.aborted;
    },
    initialize: () =>
      agent.request(acp.methods.agent.initialize, {
        protocolVersion: acp.PROTOCOL_VERSION,
        clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
        clientInfo: { name: 'agentmux-relay', version: spec.clientVersion },
      }),
    newSession: async (cwd) => (await agent.request(acp.methods.agent.session.new, { cwd, mcpServers: [] })).sessionId,
    loadSession: async (sessionId, cwd) => {
      await agent.request(acp.methods.agent.session.load, { sessionId, cwd, mcpServers: [] });
    },
    prompt: (sessionId, text) =>
      agent.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text }] }),
    cancel: (sessionId) => {
      agent.notify(acp.methods.agent.session.cancel, { sessionId }).catch(() => undefined);
    },
    close: () => {
      connection.close();
      child.stdin.end();
    },
  };
};

function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      child.off('spawn', onSpawn);
      reject(error);
    };
    const onSpawn = (): void => {
      child.off('error', onError);
      resolve();
    };
    child.once('error', onError);
    child.once('spawn', onSpawn);
  });
}

/** Splits a text stream into lines, each cut to MAX_STDERR_LINE_CHARS. */
class LineSplitter {
  private buffer = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      this.emit(this.buffer.slice(0, newline));
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf('\n');
    }
    // A line without end is cut rather than buffered without bound.
    if (this.buffer.length > 64 * MAX_STDERR_LINE_CHARS) {
      this.emit(this.buffer);
      this.buffer = '';
    }
  }

  flush(): void {
    if (this.buffer.length > 0) this.emit(this.buffer);
    this.buffer = '';
  }

  private emit(line: string): void {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.length > 0) this.onLine(trimmed.slice(0, MAX_STDERR_LINE_CHARS));
  }
}
