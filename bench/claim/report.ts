import type { Summary } from '../support/stats.js';
import { formatTable } from '../support/table.js';

export interface ClaimRow {
  logged: number;
  layout: string;
  /** Rows left in outbox_events while the claims ran (fresh ones included). */
  hotRows: number;
  ms: Summary;
  /** Pages (8 KB) the claim's index scan touched for one claim, from EXPLAIN (ANALYZE, BUFFERS). */
  scanBuffers: number;
  archive?: { moved: number; seconds: number };
}

const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`;

/** One line per size and layout; ratios against the first row (the smallest log, nothing moved). */
export function claimReport(rows: readonly ClaimRow[], facts: readonly string[], run: { claims: number; perClaim: number }): string {
  const base = rows[0]!;
  const table = formatTable(
    ['logged events', 'layout', 'outbox rows', 'scan pages', 'p50 ms', 'p99 ms', 'p50 ratio', 'p99 ratio'],
    rows.map((r) => [r.logged.toLocaleString('en'), r.layout, r.hotRows.toLocaleString('en'), String(r.scanBuffers), r.ms.p50.toFixed(2), r.ms.p99.toFixed(2),
      ratio(r.ms.p50, base.ms.p50), ratio(r.ms.p99, base.ms.p99)]),
  );
  const moves = rows.filter((r) => r.archive).map((r) => `archive of ${r.logged.toLocaleString('en')}: ${r.archive!.moved.toLocaleString('en')} rows in ${r.archive!.seconds.toFixed(1)} s`);
  return [
    `claimBatch: ${run.claims} claims of ${run.perClaim} events each (a fresh batch of unclaimed events, vacuumed and analyzed)`,
    ...facts, '', table, '', ...moves,
    'Ratios are against the first row, measured in the same run; they are the result, not the milliseconds.',
    'scan pages: buffers the claim\'s select touched (EXPLAIN ANALYZE BUFFERS), independent of the machine\'s load.',
  ].join('\n');
}
