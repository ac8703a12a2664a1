// Reads a bundle's journal (read-only, alongside a live relay: WAL allows it) to check what
// the relay answered against what it recorded.
import Database from 'better-sqlite3';

/** Runs `fn(db)` on a read-only handle and closes it. */
export function withJournal(path, fn) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Journal figures for answered `ids`: missing ids, duplicate bodies/request ids, open deliveries. */
export function auditJournal(path, answeredIds) {
  return withJournal(path, (db) => {
    const ids = new Set(db.prepare('SELECT id FROM messages').pluck().all());
    const missing = [...answeredIds].filter((id) => !ids.has(id));
    const dupBodies = db
      .prepare('SELECT COUNT(*) FROM (SELECT body FROM messages GROUP BY sender, body HAVING COUNT(*) > 1)')
      .pluck()
      .get();
    const dupRequests = db
      .prepare(
        'SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE request_id IS NOT NULL GROUP BY sender, request_id HAVING COUNT(*) > 1)',
      )
      .pluck()
      .get();
    const states = db.prepare('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all();
    const open = db
      .prepare(
        `SELECT m.id FROM deliveries d JOIN messages m ON m.seq = d.message_seq
         WHERE d.state NOT IN ('delivered', 'failed', 'expired')`,
      )
      .pluck()
      .all();
    const failed = db
      .prepare(
        `SELECT m.id, d.recipient, d.reason FROM deliveries d JOIN messages m ON m.seq = d.message_seq
         WHERE d.state = 'failed'`,
      )
      .all();
    return { total: ids.size, missing, duplicates: dupBodies + dupRequests, states, open, failed };
  });
}

/** How many deliveries are not yet final. */
export function openDeliveries(path) {
  return withJournal(path, (db) =>
    db.prepare(`SELECT COUNT(*) FROM deliveries WHERE state NOT IN ('delivered', 'failed', 'expired')`).pluck().get(),
  );
}
