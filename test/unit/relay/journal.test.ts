// The SQLite journal on a real file: messages, inboxes, reads, search, request ids, reopening.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentmuxError } from '../../../src/core/errors.js';
import { ftsPhrase } from '../../../src/relay/handlers/mailbox.js';
import { Journal } from '../../../src/relay/journal/journal.js';
import { makeTempRoots } from '../../helpers/temp-roots.js';
import { BUNDLE, journalMessage, newMessage, openTempJournal, type TempJournal } from './fixtures.js';

let temp: TempJournal;

beforeEach(() => {
  temp = openTempJournal();
});

afterEach(() => {
  temp.cleanup();
});

describe('Journal messages', () => {
  it('stores a message with one queued delivery per recipient and finds it by id and seq', () => {
    const record = newMessage({
      sender: 'alice',
      to: ['bob', 'carol'],
      cc: ['user'],
      subject: 'plan',
      body: 'ship it',
      requestId: 'r1',
    });
    const seq = temp.journal.insertMessage(record);
    const expected = {
      id: record.id,
      seq,
      bundle: BUNDLE,
      from: 'alice',
      to: ['bob', 'carol'],
      cc: ['user'],
      subject: 'plan',
      body: 'ship it',
      reply_to: null,
      thread: record.id,
      request_id: 'r1',
      created_at: record.createdAt,
    };
    expect(temp.journal.getMessage(record.id)).toEqual(expected);
    expect(temp.journal.getMessage(seq)).toEqual(expected);
    expect(temp.journal.getMessage('NOPE')).toBeUndefined();
    expect(temp.journal.getMessage(seq + 100)).toBeUndefined();
    const deliveries = temp.journal.deliveriesOf(seq, ['user', 'carol', 'bob']);
    expect(deliveries.map((d) => [d.recipient, d.state, d.read_at])).toEqual([
      ['user', 'queued', null],
      ['carol', 'queued', null],
      ['bob', 'queued', null],
    ]);
    expect(temp.journal.messageCount()).toBe(1);
  });

  it('gives increasing sequences in insertion order and refuses a duplicate id', () => {
    const a = journalMessage(temp.journal, { sender: 'alice', to: ['bob'] });
    const b = journalMessage(temp.journal, { sender: 'alice', to: ['bob'] });
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(() => temp.journal.insertMessage(newMessage({ id: a.id, sender: 'carol', to: ['bob'] }))).toThrow(/UNIQUE/);
  });

  it('finds a message by (sender, request id) with its fingerprint, and only for that sender', () => {
    const record = newMessage({ sender: 'alice', to: ['bob'], requestId: 'req-7', fingerprint: 'abc' });
    temp.journal.insertMessage(record);
    const found = temp.journal.findByRequest('alice', 'req-7');
    expect(found?.message.id).toBe(record.id);
    expect(found?.fingerprint).toBe('abc');
    expect(temp.journal.findByRequest('bob', 'req-7')).toBeUndefined();
    expect(temp.journal.findByRequest('alice', 'req-8')).toBeUndefined();
    // Another sender may reuse the same request id; the same sender may not.
    temp.journal.insertMessage(newMessage({ sender: 'bob', to: ['alice'], requestId: 'req-7' }));
    expect(() => temp.journal.insertMessage(newMessage({ sender: 'alice', to: ['bob'], requestId: 'req-7' }))).toThrow(
      /UNIQUE/,
    );
  });
});

describe('Journal inbox and reads', () => {
  it('lists the newest messages oldest first, and only the unread ones when asked', () => {
    const sent = [1, 2, 3, 4].map((n) => journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: `m${n}` }));
    journalMessage(temp.journal, { sender: 'alice', to: ['carol'], body: 'not for bob' });
    const cc = journalMessage(temp.journal, { sender: 'carol', to: ['alice'], cc: ['bob'], body: 'cc bob' });
    const bodies = (unreadOnly: boolean, limit = 100): string[] =>
      temp.journal.inbox('bob', { unreadOnly, limit }).map((m) => m.body);
    expect(bodies(false)).toEqual(['m1', 'm2', 'm3', 'm4', 'cc bob']);
    expect(bodies(false, 2)).toEqual(['m4', 'cc bob']);

    const at = '2026-02-01T00:00:00.000Z';
    temp.journal.markRead('bob', sent[1]?.seq ?? -1, at);
    temp.journal.markRead('bob', cc.seq, at);
    expect(bodies(true)).toEqual(['m1', 'm3', 'm4']);
    const read = temp.journal.inbox('bob', { unreadOnly: false, limit: 100 }).find((m) => m.body === 'm2');
    expect(read).toMatchObject({ read_at: at, state: 'queued', from: 'alice' });
    expect(temp.journal.unreadCounts()).toEqual(
      new Map([
        ['bob', 3],
        ['carol', 1],
        ['alice', 1],
      ]),
    );
  });

  it('keeps the first read time when marked read again', () => {
    const m = journalMessage(temp.journal, { sender: 'alice', to: ['bob'] });
    temp.journal.markRead('bob', m.seq, '2026-02-01T00:00:00.000Z');
    temp.journal.markRead('bob', m.seq, '2026-03-01T00:00:00.000Z');
    temp.journal.updateDelivery({
      seq: m.seq,
      recipient: 'bob',
      state: 'delivered',
      reason: null,
      at: '2026-04-01T00:00:00.000Z',
      read: true,
    });
    expect(temp.journal.deliveryOf(m.seq, 'bob')).toEqual({
      recipient: 'bob',
      state: 'delivered',
      reason: null,
      updated_at: '2026-04-01T00:00:00.000Z',
      read_at: '2026-02-01T00:00:00.000Z',
    });
  });

  it('reports open deliveries in journal order and drops the final ones', () => {
    const a = journalMessage(temp.journal, { sender: 'alice', to: ['bob', 'carol'] });
    const b = journalMessage(temp.journal, { sender: 'alice', to: ['bob'] });
    const at = '2026-02-01T00:00:00.000Z';
    temp.journal.updateDelivery({ seq: a.seq, recipient: 'carol', state: 'failed', reason: 'pane_gone', at });
    temp.journal.updateDelivery({ seq: a.seq, recipient: 'bob', state: 'delivering', reason: null, at });
    temp.journal.updateDelivery({ seq: b.seq, recipient: 'bob', state: 'typing', reason: null, at });
    expect(temp.journal.openDeliveries()).toEqual([
      { recipient: 'bob', seq: a.seq, state: 'delivering' },
      { recipient: 'bob', seq: b.seq, state: 'typing' },
    ]);
    expect(temp.journal.deliveryOf(a.seq, 'carol')).toMatchObject({ state: 'failed', reason: 'pane_gone' });
    temp.journal.updateDelivery({ seq: a.seq, recipient: 'bob', state: 'delivered', reason: null, at });
    temp.journal.updateDelivery({ seq: b.seq, recipient: 'bob', state: 'expired', reason: null, at });
    expect(temp.journal.openDeliveries()).toEqual([]);
  });
});

describe('Journal search', () => {
  it('matches a quoted phrase, FTS syntax, participant and thread filters', () => {
    const root = journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: 'the build is green' });
    const reply = journalMessage(temp.journal, {
      sender: 'bob',
      to: ['alice'],
      body: 'is the build really green?',
      thread: root.thread,
      replyTo: root.id,
    });
    const other = journalMessage(temp.journal, {
      sender: 'carol',
      to: ['dave'],
      subject: 'deploy',
      body: 'green light for the release',
    });
    const ids = (options: Parameters<Journal['search']>[0]): string[] => temp.journal.search(options).map((m) => m.id);

    expect(ids({ match: ftsPhrase('build is'), limit: 50 })).toEqual([root.id]);
    expect(ids({ match: 'build AND green', limit: 50 })).toEqual([root.id, reply.id]);
    expect(ids({ match: 'green', limit: 50 })).toEqual([root.id, reply.id, other.id]);
    expect(ids({ match: 'green', limit: 2 })).toEqual([reply.id, other.id]);
    expect(ids({ match: 'deploy', limit: 50 })).toEqual([other.id]);
    expect(ids({ match: 'green', participant: 'dave', limit: 50 })).toEqual([other.id]);
    expect(ids({ match: 'green', participant: 'alice', limit: 50 })).toEqual([root.id, reply.id]);
    expect(ids({ thread: root.thread, limit: 50 })).toEqual([root.id, reply.id]);
    expect(ids({ thread: root.thread, participant: 'carol', limit: 50 })).toEqual([]);
    expect(ids({ limit: 50 })).toEqual([root.id, reply.id, other.id]);

    const [history] = temp.journal.search({ match: ftsPhrase('light for'), limit: 50 });
    expect(history?.deliveries.map((d) => d.recipient)).toEqual(['dave']);
  });

  it('treats a phrase with FTS operators and quotes as plain text', () => {
    const m = journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: 'say "NOT AND" (twice)*' });
    expect(temp.journal.search({ match: ftsPhrase('"NOT AND" (twice)*'), limit: 10 }).map((r) => r.id)).toEqual([m.id]);
  });

  it('refuses broken FTS syntax with validation_invalid_search', () => {
    journalMessage(temp.journal, { sender: 'alice', to: ['bob'] });
    for (const query of ['"unbalanced', 'AND', 'a NEAR(', 'nocolumn:word', '*', '"']) {
      expect(() => temp.journal.search({ match: query, limit: 10 })).toThrow(
        expect.objectContaining({ code: 'validation_invalid_search' }),
      );
    }
  });
});

describe('Journal search index', () => {
  /** Rows the FTS index itself matches, read through a second connection (what is committed). */
  const indexed = (word: string): number[] => {
    const db = new Database(temp.path, { readonly: true });
    try {
      return db.prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?`).pluck().all(word) as number[];
    } finally {
      db.close();
    }
  };

  it('keeps the full-text index off the send commit and catches up before a search', () => {
    const m = journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: 'deferred zebra' });
    expect(indexed('zebra')).toEqual([]);
    expect(temp.journal.search({ match: 'zebra', limit: 10 }).map((r) => r.id)).toEqual([m.id]);
    expect(indexed('zebra')).toEqual([m.seq]);
    const later = journalMessage(temp.journal, { sender: 'bob', to: ['alice'], body: 'another zebra' });
    temp.journal.indexForSearch();
    expect(indexed('zebra')).toEqual([m.seq, later.seq]);
  });

  it('indexes what a relay killed before indexing left behind, once, after reopening', () => {
    const m = journalMessage(temp.journal, { sender: 'alice', to: ['bob'], body: 'orphan okapi' });
    // A SIGKILL: the database is left as committed, without the index catching up.
    const db = new Database(temp.path);
    expect(db.prepare(`SELECT count(*) FROM messages`).pluck().get()).toBe(1);
    db.close();
    (temp.journal as unknown as { db: Database.Database }).db.close();
    temp.journal = Journal.open(temp.path, BUNDLE);
    expect(indexed('okapi')).toEqual([]);
    expect(temp.journal.search({ match: 'okapi', limit: 10 }).map((r) => r.id)).toEqual([m.id]);
    temp.journal.indexForSearch();
    expect(indexed('okapi')).toEqual([m.seq]);
  });
});

describe('Journal files', () => {
  it('keeps messages, deliveries, reads and conversation ids across close and reopen', () => {
    const m = journalMessage(temp.journal, { sender: 'alice', to: ['bob', 'carol'], body: 'durable' });
    temp.journal.markRead('bob', m.seq, '2026-02-01T00:00:00.000Z');
    temp.journal.setConversationId('bob', 'conv-1', '2026-02-01T00:00:00.000Z');
    const journal = temp.reopen();
    expect(journal.getMessage(m.id)).toEqual(m);
    expect(journal.inbox('bob', { unreadOnly: true, limit: 10 })).toEqual([]);
    expect(journal.inbox('carol', { unreadOnly: true, limit: 10 }).map((r) => r.body)).toEqual(['durable']);
    expect(journal.conversationId('bob')).toBe('conv-1');
    expect(journal.conversationId('carol')).toBeUndefined();
    const next = journalMessage(journal, { sender: 'alice', to: ['bob'] });
    expect(next.seq).toBeGreaterThan(m.seq);
  });

  it('refuses a file that is not a database with runtime_journal_corrupt', () => {
    const roots = makeTempRoots('garbage');
    try {
      const path = join(roots.root, 'journal.db');
      writeFileSync(path, Buffer.from('this is not sqlite at all\n'.repeat(200)));
      let caught: unknown;
      try {
        Journal.open(path, BUNDLE).close();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AgentmuxError);
      expect(caught).toMatchObject({ code: 'runtime_journal_corrupt', details: { path } });
    } finally {
      roots.cleanup();
    }
  });

  it('refuses a journal written by a newer schema', () => {
    temp.journal.close();
    // Bump the stored schema version behind the journal's back.
    const db = new Database(temp.path);
    db.prepare(`UPDATE meta SET value = '999' WHERE key = 'schema_version'`).run();
    db.close();
    expect(() => Journal.open(temp.path, BUNDLE)).toThrow(expect.objectContaining({ code: 'runtime_journal_corrupt' }));
    temp.journal = Journal.open(join(temp.roots.root, 'fresh.db'), BUNDLE);
  });
});
