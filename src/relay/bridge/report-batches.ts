// Delivery reports owed to other hosts, coalesced: the reports for one origin host made within
// REPORT_COALESCE_MS of the first travel as one JetStream entry. A report only moves the
// sender's copy from `delivering` to a final state, but one entry per report cost the three
// nats-servers and both relays about as much as the message itself, and arrived while the
// next message travelled: measured, it roughly doubled a cross-host send's p50 under
// back-to-back sends. Until its entry is stored a report stays in the outbox (bridge.db).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PendingReport } from './report-outbox.js';

/** How long the first report of a batch waits for others to the same host. */
export const REPORT_COALESCE_MS = 20;
/** Reports in one entry at most (an entry stays far below NATS's 1 MiB payload limit). */
export const MAX_REPORTS_PER_ENTRY = 500;

/** One delivery report from the recipient's host. */
export const BridgedReportSchema = z.object({
  id: z.string().min(1).max(64),
  recipient: z.string().min(1).max(64),
  state: z.enum(['delivered', 'failed']),
  reason: z.string().nullable(),
});
export type BridgedReport = z.infer<typeof BridgedReportSchema>;

/** A report entry: several reports, or (as relays before batching sent it) a single one. */
export const BridgedReportEntrySchema = z.union([
  z.object({ reports: z.array(BridgedReportSchema).max(MAX_REPORTS_PER_ENTRY) }),
  BridgedReportSchema,
]);

/** The reports an entry carries. */
export function reportsOf(entry: z.infer<typeof BridgedReportEntrySchema>): BridgedReport[] {
  return 'reports' in entry ? entry.reports : [entry];
}

/** What goes on the wire for a batch, and its Nats-Msg-Id (the same batch, the same id). */
export function reportEntry(reports: readonly PendingReport[]): { data: string; msgID: string } {
  const data = JSON.stringify({
    reports: reports.map(({ id, recipient, state, reason }) => ({ id, recipient, state, reason })),
  });
  return { data, msgID: `r.${createHash('sha1').update(data).digest('hex')}` };
}

/** Collects reports per origin host and hands each batch on once its wait is over or it is full. */
export class ReportBatches {
  private readonly open = new Map<string, PendingReport[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publish: (origin: string, reports: PendingReport[]) => void,
    private readonly delayMs: number = REPORT_COALESCE_MS,
  ) {}

  add(report: PendingReport): void {
    let batch = this.open.get(report.origin);
    if (batch === undefined) {
      batch = [];
      this.open.set(report.origin, batch);
    }
    batch.push(report);
    if (batch.length >= MAX_REPORTS_PER_ENTRY) {
      this.open.delete(report.origin);
      this.publish(report.origin, batch);
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Hands on every batch now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.open];
    this.open.clear();
    for (const [origin, reports] of batches) this.publish(origin, reports);
  }

  /** Drops what is collected: it stays owed in the outbox and goes out after a restart. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.open.clear();
  }
}
