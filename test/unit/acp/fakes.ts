// Fakes for ACP unit tests: a clock moved by hand, and an in-memory ACP agent whose answers
// the test controls.
import type { InitializeResponse, PromptResponse, SessionNotification } from '@agentclientprotocol/sdk';
import { ManualClock } from '../../helpers/manual-clock.js';
import type { AcpPeer, LaunchPeer, PeerHandlers, PeerSpec } from '../../../src/transports/acp/acp-peer.js';

/** Lets promise callbacks and setImmediate work run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

interface PendingPrompt {
  sessionId: string;
  text: string;
  resolve: (response: PromptResponse) => void;
  reject: (error: Error) => void;
}

/** One in-memory agent process. */
export class FakePeer implements AcpPeer {
  closed = false;
  readonly prompts: PendingPrompt[] = [];
  readonly cancels: string[] = [];
  readonly loads: string[] = [];
  private sessions = 0;

  constructor(
    readonly pid: number,
    readonly spec: PeerSpec,
    readonly handlers: PeerHandlers,
    readonly init: () => Promise<InitializeResponse>,
    private readonly loadFails: boolean,
  ) {}

  initialize(): Promise<InitializeResponse> {
    return this.init();
  }

  newSession(): Promise<string> {
    this.sessions += 1;
    return Promise.resolve(`fake-${this.pid}-${this.sessions}`);
  }

  loadSession(sessionId: string): Promise<void> {
    this.loads.push(sessionId);
    return this.loadFails ? Promise.reject(new Error('unknown session')) : Promise.resolve();
  }

  prompt(sessionId: string, text: string): Promise<PromptResponse> {
    return new Promise((resolve, reject) => this.prompts.push({ sessionId, text, resolve, reject }));
  }

  cancel(sessionId: string): void {
    this.cancels.push(sessionId);
  }

  close(): void {
    this.closed = true;
    for (const prompt of this.prompts.splice(0)) prompt.reject(new Error('ACP connection closed'));
  }

  /** Streams one answer chunk. */
  say(text: string): void {
    const sessionId = this.prompts[0]?.sessionId ?? '';
    const notification: SessionNotification = {
      sessionId,
      update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } },
    };
    this.handlers.onUpdate(notification);
  }

  /** Answers the oldest prompt. */
  stop(stopReason: PromptResponse['stopReason']): void {
    this.prompts.shift()?.resolve({ stopReason });
  }

  /** The process dies: the connection closes, then the exit is reported. */
  exit(reason = 'exited with code 3'): void {
    this.close();
    this.handlers.onExit(reason);
  }
}

/** What the next launch does. */
export type LaunchScript = 'ok' | 'spawn-error' | 'exit-at-init' | 'hang-at-init' | 'load-fails';

/** Starts FakePeers following a script (default: every launch works). */
export class FakeLauncher {
  readonly peers: FakePeer[] = [];
  readonly script: LaunchScript[] = [];
  loadSession = true;
  private nextPid = 1000;

  readonly launch: LaunchPeer = (spec, handlers) => {
    const step = this.script.shift() ?? 'ok';
    if (step === 'spawn-error') return Promise.reject(new Error(`spawn ${spec.argv[0]} ENOENT`));
    this.nextPid += 1;
    const init = (): Promise<InitializeResponse> => {
      if (step === 'exit-at-init') {
        // As with a real agent, the closed connection is noticed before the exit status.
        peer.closed = true;
        setImmediate(() => peer.handlers.onExit('exited with code 4'));
        return Promise.reject(new Error('ACP connection closed'));
      }
      if (step === 'hang-at-init') return new Promise(() => undefined);
      return Promise.resolve({ protocolVersion: 1, agentCapabilities: { loadSession: this.loadSession } });
    };
    const peer = new FakePeer(this.nextPid, spec, handlers, init, step === 'load-fails');
    this.peers.push(peer);
    return Promise.resolve(peer);
  };

  /** The most recent peer. */
  get last(): FakePeer {
    const peer = this.peers.at(-1);
    if (!peer) throw new Error('no agent was launched');
    return peer;
  }
}

export { ManualClock };
