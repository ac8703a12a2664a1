// The journal's SQL: every statement the relay runs on its hot paths, prepared once.
import type { Database as Db } from 'better-sqlite3';

const FINAL_STATES_SQL = `('delivered', 'failed', 'expired')`;

/** The journal's prepared statements, compiled once per open database. */
export function prepareStatements(db: Db) {
  return {
    insertMessage: db.prepare(
      `INSERT INTO messages (id, sender, recipients, cc, subject, body, reply_to, thread, request_id, fingerprint, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertDelivery: db.prepare(
      `INSERT INTO deliveries (recipient, message_seq, state, reason, updated_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    addDelivery: db.prepare(
      `INSERT OR IGNORE INTO deliveries (recipient, message_seq, state, reason, updated_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    updateDelivery: db.prepare(
      `UPDATE deliveries SET state = ?, reason = ?, updated_at = ? WHERE recipient = ? AND message_seq = ?`,
    ),
    markRead: db.prepare(
      `UPDATE deliveries SET read_at = ? WHERE recipient = ? AND message_seq = ? AND read_at IS NULL`,
    ),
    byRequest: db.prepare(`SELECT * FROM messages WHERE sender = ? AND request_id = ?`),
    bySeq: db.prepare(`SELECT * FROM messages WHERE seq = ?`),
    byId: db.prepare(`SELECT * FROM messages WHERE id = ?`),
    deliveriesOf: db.prepare(
      `SELECT recipient, state, reason, updated_at, read_at FROM deliveries WHERE message_seq = ?`,
    ),
    deliveryOf: db.prepare(
      `SELECT recipient, state, reason, updated_at, read_at FROM deliveries WHERE message_seq = ? AND recipient = ?`,
    ),
    openDeliveries: db.prepare(
      `SELECT recipient, message_seq AS seq, state FROM deliveries WHERE state NOT IN ${FINAL_STATES_SQL} ORDER BY message_seq`,
    ),
    openDeliveriesOf: db.prepare(
      `SELECT message_seq AS seq, state FROM deliveries
       WHERE recipient = ? AND message_seq > ? AND state NOT IN ${FINAL_STATES_SQL} ORDER BY message_seq LIMIT ?`,
    ),
    openCountsByRecipient: db.prepare(
      `SELECT recipient, count(*) AS n, max(message_seq) AS last FROM deliveries
       WHERE state NOT IN ${FINAL_STATES_SQL} GROUP BY recipient`,
    ),
    openCopiesOf: db.prepare(
      `SELECT count(*) FROM deliveries WHERE message_seq = ? AND state NOT IN ${FINAL_STATES_SQL}`,
    ),
    // The second condition lets SQLite use the partial index of open deliveries.
    requeueInFlight: db.prepare(
      `UPDATE deliveries SET state = 'queued', reason = NULL, updated_at = ?
       WHERE state = 'delivering' AND state NOT IN ${FINAL_STATES_SQL}`,
    ),
    unreadCounts: db.prepare(
      `SELECT recipient, count(*) AS n FROM deliveries WHERE read_at IS NULL GROUP BY recipient`,
    ),
    inboxAll: db.prepare(
      `SELECT m.*, d.state, d.read_at FROM deliveries d JOIN messages m ON m.seq = d.message_seq
       WHERE d.recipient = ? ORDER BY d.message_seq DESC LIMIT ?`,
    ),
    inboxUnread: db.prepare(
      `SELECT m.*, d.state, d.read_at FROM deliveries d JOIN messages m ON m.seq = d.message_seq
       WHERE d.recipient = ? AND d.read_at IS NULL ORDER BY d.message_seq DESC LIMIT ?`,
    ),
    countMessages: db.prepare(`SELECT count(*) FROM messages`),
    threadSenders: db.prepare(`SELECT sender FROM messages WHERE thread = ? ORDER BY seq DESC LIMIT ?`),
    upsertFact: db.prepare(
      `INSERT INTO session_facts (session, conversation_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (session) DO UPDATE SET conversation_id = excluded.conversation_id, updated_at = excluded.updated_at`,
    ),
    getFact: db.prepare(`SELECT conversation_id FROM session_facts WHERE session = ?`),
  } as const;
}
