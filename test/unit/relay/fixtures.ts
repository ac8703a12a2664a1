// Shared fixtures for relay unit tests: a real journal in a temp dir, message records, a
// manual clock, and the router's fakes (socket subscriber, deliverer).
import { join } from 'node:path';
import { createUlidFactory } from '../../../src/core/ids.js';
import type { DeliveryState, Message } from '../../../src/core/protocol/index.js';
import type { SocketSubscriber } from '../../../src/relay/deliverer.js';
import type { Deliverer, DeliveryOutcome } from '../../../src/transports/deliverer.js';
import { Journal, type NewMessage } from '../../../src/relay/journal/journal.js';
import { makeTempRoots, type TempRoots } from '../../helpers/temp-roots.js';

export const BUNDLE = 'team';

/** A journal file in a fresh temp dir; `reopen` closes and opens the same file again. */
export interface TempJournal {
  roots: TempRoots;
  path: string;
  journal: Journal;
  reopen(): Journal;
  cleanup(): void;
}

/** Opens a real journal in a temp directory. */
export function openTempJournal(): TempJournal {
  const roots = makeTempRoots('journal');
  const path = join(roots.root, 'journal.db');
  const handle: TempJournal = {
    roots,
    path,
    journal: Journal.open(path, BUNDLE),
    reopen() {
      handle.journal.close();
      handle.journal = Journal.open(path, BUNDLE);
      return handle.journal;
    },
    cleanup() {
      handle.journal.close();
      roots.cleanup();
    },
  };
  return handle;
}

const ids = createUlidFactory();
let clockMs = Date.parse('2026-01-01T00:00:00.000Z');

/** A message record as `send` builds it; recipients default to `to` then `cc`. */
export function newMessage(fields: Partial<NewMessage> & { sender: string; to: string[] }): NewMessage {
  const id = fields.id ?? ids.next();
  const cc = fields.cc ?? [];
  clockMs += 1;
  return {
    id,
    cc,
    recipients: [...fields.to, ...cc],
    subject: null,
    body: `body of ${id}`,
    replyTo: null,
    thread: id,
    requestId: null,
    fingerprint: null,
    createdAt: new Date(clockMs).toISOString(),
    ...fields,
  };
}

/** Journals a message and returns it as the router sees it. */
export function journalMessage(
  journal: Journal,
  fields: Partial<NewMessage> & { sender: string; to: string[] },
): Message {
  const record = newMessage(fields);
  const seq = journal.insertMessage(record);
  const message = journal.getMessage(seq);
  if (!message) throw new Error('message vanished');
  return message;
}

/** Records what the router pushed to one socket client. */
export class FakeSubscriber implements SocketSubscriber {
  readonly pushed: { message: Message; state: DeliveryState }[] = [];
  constructor(readonly id: number) {}

  push(message: Message, state: DeliveryState): void {
    this.pushed.push({ message, state });
  }

  /** Bodies pushed so far, in order. */
  get bodies(): string[] {
    return this.pushed.map((p) => p.message.body);
  }
}

interface Attempt {
  recipient: string;
  message: Message;
  progress: (state: DeliveryState) => void;
  signal: AbortSignal;
  settle: (outcome: DeliveryOutcome) => void;
  fail: (error: unknown) => void;
}

/** A deliverer whose attempts stay open until the test settles them. */
export class FakeDeliverer implements Deliverer {
  readonly attempts: Attempt[] = [];
  readonly recovered: { recipient: string; body: string }[] = [];
  recoveryOutcome: DeliveryOutcome = { state: 'delivered' };
  private readonly recipients: ReadonlySet<string>;

  constructor(recipients: readonly string[]) {
    this.recipients = new Set(recipients);
  }

  handles(recipient: string): boolean {
    return this.recipients.has(recipient);
  }

  deliver(
    recipient: string,
    message: Message,
    progress: (state: DeliveryState) => void,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    return new Promise((resolve, reject) => {
      this.attempts.push({ recipient, message, progress, signal, settle: resolve, fail: reject });
    });
  }

  /** Settles a half-done delivery left by a previous relay; answers with `recovered`. */
  recover(recipient: string, message: Message): Promise<DeliveryOutcome> {
    this.recovered.push({ recipient, body: message.body });
    return Promise.resolve(this.recoveryOutcome);
  }

  /** Attempts made for one recipient, in order. */
  for(recipient: string): Attempt[] {
    return this.attempts.filter((a) => a.recipient === recipient);
  }
}

/** Lets pending promise callbacks and setImmediate work (the batcher's flush) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export { ManualClock } from '../../helpers/manual-clock.js';
