// The journal's SQLite schema. One database per bundle; the message sequence (`seq`) is the
// order of record for everything: inbox order, per-recipient delivery order, history.

/** Bumped when the schema changes; stored in `meta`. */
export const JOURNAL_SCHEMA_VERSION = 1;

export const JOURNAL_DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  recipients TEXT NOT NULL,
  cc TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL,
  reply_to TEXT,
  thread TEXT NOT NULL,
  request_id TEXT,
  fingerprint TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_request ON messages (sender, request_id) WHERE request_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (thread, seq);
CREATE INDEX IF NOT EXISTS messages_by_sender ON messages (sender, seq);
CREATE TABLE IF NOT EXISTS deliveries (
  recipient TEXT NOT NULL,
  message_seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  updated_at TEXT NOT NULL,
  read_at TEXT,
  PRIMARY KEY (recipient, message_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deliveries_by_message ON deliveries (message_seq);
CREATE INDEX IF NOT EXISTS deliveries_open ON deliveries (state) WHERE state NOT IN ('delivered', 'failed', 'expired');
CREATE INDEX IF NOT EXISTS deliveries_unread ON deliveries (recipient) WHERE read_at IS NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5 (subject, body, content = 'messages', content_rowid = 'seq');
CREATE TABLE IF NOT EXISTS supervision (
  session TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  since INTEGER NOT NULL,
  turn_started INTEGER,
  counter INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS session_facts (
  session TEXT PRIMARY KEY,
  conversation_id TEXT,
  updated_at TEXT NOT NULL
);
`;
