// Delivery reports this host still owes other hosts, kept in <bundle dir>/bridge.db until the
// local JetStream has acked them: a relay killed between a delivery and its report sends the
// report after the restart, so the sender's host never waits forever.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';

/** One report: `recipient` (a session of this host) reached a final state for message `id`. */
export interface PendingReport {
  id: string;
  recipient: string;
  origin: string;
  state: 'delivered' | 'failed';
  reason: string | null;
}

export class ReportOutbox {
  private readonly db: Db;
  // Prepared once: every delivered cross-host copy adds and removes one row.
  private readonly insert: Statement<[string, string, string, string, string | null]>;
  private readonly delete: Statement<[string, string]>;

  private constructor(db: Db) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO reports (id, recipient, origin, state, reason) VALUES (?, ?, ?, ?, ?)`,
    );
    this.delete = db.prepare(`DELETE FROM reports WHERE id = ? AND recipient = ?`);
  }

  static open(path: string): ReportOutbox {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS reports (
      id TEXT NOT NULL, recipient TEXT NOT NULL, origin TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
      PRIMARY KEY (id, recipient)) WITHOUT ROWID`);
    return new ReportOutbox(db);
  }

  /** Records a report before it is published (replacing an older one for the same copy). */
  add(report: PendingReport): void {
    this.insert.run(report.id, report.recipient, report.origin, report.state, report.reason);
  }

  /** The reports were stored by JetStream (one entry): they are no longer owed. */
  removeAll(reports: readonly PendingReport[]): void {
    // Reports stored after close (the publisher's last ack) stay owed and are sent again.
    if (!this.db.open) return;
    this.db.transaction(() => {
      for (const report of reports) this.delete.run(report.id, report.recipient);
    })();
  }

  /** Every report still owed, to publish again after a restart. */
  pending(): PendingReport[] {
    return this.db.prepare(`SELECT id, recipient, origin, state, reason FROM reports`).all() as PendingReport[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
