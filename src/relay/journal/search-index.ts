// The full-text index of message subjects and bodies (FTS5), kept off the send path: a send
// commits only its message and deliveries, and messages are indexed in bulk a little later
// (the batcher's timer, and always before a search). One FTS5 insert per send wrote a new
// index segment with every commit, about a third of a send's SQLite time.
import type { Database as Db, Statement } from 'better-sqlite3';

const INDEXED_KEY = 'fts_indexed_through';

/** Indexes every message after the last one indexed; the mark is saved in the same transaction. */
export class SearchIndex {
  private readonly db: Db;
  private readonly indexNewer: Statement;
  private readonly saveMark: Statement;
  private indexedThrough: number;

  constructor(db: Db, lastSeq: number) {
    this.db = db;
    this.indexNewer = db.prepare(
      `INSERT INTO messages_fts (rowid, subject, body) SELECT seq, coalesce(subject, ''), body FROM messages WHERE seq > ? ORDER BY seq`,
    );
    this.saveMark = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('${INDEXED_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    const saved = db.prepare(`SELECT value FROM meta WHERE key = '${INDEXED_KEY}'`).pluck().get() as string | undefined;
    this.indexedThrough = saved === undefined ? lastSeq : Number(saved);
    // No mark: a new journal, or one from before deferred indexing (which indexed every message
    // on insert). Saved now, so a crash before the first catch-up still finds what to index.
    if (saved === undefined) this.saveMark.run(String(lastSeq));
  }

  /** Indexes the messages committed since the last call (inside the caller's transaction, if any). */
  catchUp(newestSeq: number): void {
    if (newestSeq <= this.indexedThrough) return;
    this.db.transaction(() => {
      this.indexNewer.run(this.indexedThrough);
      this.saveMark.run(String(newestSeq));
    })();
    this.indexedThrough = newestSeq;
  }
}
