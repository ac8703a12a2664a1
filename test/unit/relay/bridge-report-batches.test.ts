// Delivery reports to other hosts travel in batches: one entry per origin host and wait, its
// Nats-Msg-Id fixed by its content, and entries of a single report (older relays) still read.
import { describe, expect, it } from 'vitest';
import {
  BridgedReportEntrySchema,
  MAX_REPORTS_PER_ENTRY,
  ReportBatches,
  reportEntry,
  reportsOf,
} from '../../../src/relay/bridge/report-batches.js';
import type { PendingReport } from '../../../src/relay/bridge/report-outbox.js';

const report = (id: string, origin = 'laptop'): PendingReport => ({
  id,
  recipient: 'alice',
  origin,
  state: 'delivered',
  reason: null,
});

describe('report batches', () => {
  it('hands on one batch per origin host once the wait is over', async () => {
    const published: [string, string[]][] = [];
    const done = new Promise<void>((resolve) => {
      const batches = new ReportBatches((origin, reports) => {
        published.push([origin, reports.map((r) => r.id)]);
        if (published.length === 2) resolve();
      }, 1);
      batches.add(report('a'));
      batches.add(report('b', 'gpu'));
      batches.add(report('c'));
    });
    await done;
    expect(published).toEqual([
      ['laptop', ['a', 'c']],
      ['gpu', ['b']],
    ]);
  });

  it('hands on a full batch at once and keeps nothing after close', () => {
    const published: number[] = [];
    const batches = new ReportBatches((_, reports) => published.push(reports.length), 60_000);
    for (let i = 0; i < MAX_REPORTS_PER_ENTRY + 1; i += 1) batches.add(report(`m${i}`));
    expect(published).toEqual([MAX_REPORTS_PER_ENTRY]);
    batches.close();
    batches.flush();
    expect(published).toEqual([MAX_REPORTS_PER_ENTRY]);
  });

  it('gives the same batch the same Nats-Msg-Id and a different batch another', () => {
    const one = reportEntry([report('a'), report('b')]);
    expect(reportEntry([report('a'), report('b')])).toEqual(one);
    expect(reportEntry([report('a'), report('b'), report('c')]).msgID).not.toBe(one.msgID);
    const parsed = BridgedReportEntrySchema.parse(JSON.parse(one.data));
    expect(reportsOf(parsed).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('reads an entry holding a single report, as relays sent before batching', () => {
    const single = { id: 'a', recipient: 'alice', state: 'failed', reason: 'unknown_session' };
    expect(reportsOf(BridgedReportEntrySchema.parse(single))).toEqual([single]);
    expect(BridgedReportEntrySchema.safeParse({ id: 'a' }).success).toBe(false);
  });
});
