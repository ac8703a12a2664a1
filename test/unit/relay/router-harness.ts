// A router over a real journal in a temp file, with the helpers its tests share.
import { afterEach, beforeEach } from 'vitest';
import type { DeliveryState, Message } from '../../../src/core/protocol/index.js';
import { JournalBatcher } from '../../../src/relay/journal/batch-writer.js';
import type { Journal } from '../../../src/relay/journal/journal.js';
import { MessageCache } from '../../../src/relay/message-cache.js';
import { Router } from '../../../src/relay/router.js';
import { ManualClock, journalMessage, openTempJournal, type FakeDeliverer, type TempJournal } from './fixtures.js';

/** Per-test state, replaced before each test by `routerContext`. */
export interface RouterContext {
  temp: TempJournal;
  clock: ManualClock;
  errors: { error: unknown; context: string }[];
  /** Run after each test, before the journal closes. */
  cleanups: (() => void)[];
}

/** Registers the hooks that give each test a fresh journal, clock and error list. */
export function routerContext(): RouterContext {
  const ctx = {} as RouterContext;
  beforeEach(() => {
    ctx.temp = openTempJournal();
    ctx.clock = new ManualClock();
    ctx.errors = [];
    ctx.cleanups = [];
  });
  afterEach(() => {
    for (const cleanup of ctx.cleanups) cleanup();
    ctx.temp.cleanup();
  });
  return ctx;
}

/** A router wired like the relay's, with helpers to send and read back. */
export interface Harness {
  router: Router;
  batcher: JournalBatcher;
  journal: Journal;
  /** Journals a message and enqueues it for its recipients, as `send` does. */
  send(from: string, to: string[], body?: string): Message;
  /** The journaled state of one copy, after committing pending writes. */
  stored(message: Message, recipient: string): { state: DeliveryState; read_at: string | null } | undefined;
}

export function harness(
  ctx: RouterContext,
  deliverers: FakeDeliverer[] = [],
  journal: Journal = ctx.temp.journal,
): Harness {
  const batcher = new JournalBatcher(journal);
  const router = new Router({
    journal,
    batcher,
    cache: new MessageCache(journal),
    clock: ctx.clock,
    deliverers,
    onError: (error, context) => ctx.errors.push({ error, context }),
  });
  ctx.cleanups.push(() => {
    router.close();
    batcher.close();
  });
  return {
    router,
    batcher,
    journal,
    send(from, to, body) {
      const message = journalMessage(journal, { sender: from, to, ...(body === undefined ? {} : { body }) });
      router.enqueue(message, to);
      return message;
    },
    stored(message, recipient) {
      batcher.flush();
      const record = journal.deliveryOf(message.seq, recipient);
      return record && { state: record.state, read_at: record.read_at };
    },
  };
}
