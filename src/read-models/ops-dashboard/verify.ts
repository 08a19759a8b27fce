import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold, VerifyFinding, VerifyReport } from '../read-model.js';
import { bucketKey, MINUTE_COUNTERS, minuteCounts, type MinuteCounts, type OrderPosition } from './counting.js';
import { readPositions } from './rows.js';

/**
 * Each order as the log says it should be counted, worked out from its whole history in
 * version order (independently of how apply gets there from partial, shuffled batches):
 * status, and since when, from the first event in that status.
 */
function expectedPositions(fold: LogFold): Map<string, OrderPosition> {
  const history = new Map<string, StoredOrderEvent[]>();
  for (const e of fold.events) history.set(e.aggregateId, [...(history.get(e.aggregateId) ?? []), e]);
  const positions = new Map<string, OrderPosition>();
  for (const [orderId, order] of fold.orders) {
    const events = (history.get(orderId) ?? []).sort((a, b) => a.aggregateVersion - b.aggregateVersion);
    const entered = events.find((e) => e.payload.order.status === order.status);
    if (!entered) continue; // cannot happen: the newest event carries the order's status
    positions.set(orderId, {
      orderId, status: order.status, region: order.region, paymentProvider: order.paymentProvider,
      statusSince: entered.occurredAt, statusSinceVersion: entered.aggregateVersion, version: order.version,
    });
  }
  return positions;
}

function compareOrder(held: OrderPosition, want: OrderPosition): VerifyFinding[] {
  const fields: Array<[string, unknown, unknown]> = [
    ['status', held.status, want.status], ['region', held.region, want.region],
    ['paymentProvider', held.paymentProvider, want.paymentProvider], ['version', held.version, want.version],
    ['statusSince', held.statusSince.toISOString(), want.statusSince.toISOString()],
    ['statusSinceVersion', held.statusSinceVersion, want.statusSinceVersion],
  ];
  return fields.filter(([, h, w]) => h !== w)
    .map(([field, h, w]) => ({ orderId: want.orderId, problem: `wrong ${field}: holds ${String(h)}, the log says ${String(w)}` }));
}

function compareOrders(held: readonly OrderPosition[], want: Map<string, OrderPosition>): VerifyFinding[] {
  const findings: VerifyFinding[] = [];
  const heldIds = new Set(held.map((p) => p.orderId));
  for (const p of held) {
    const expected = want.get(p.orderId);
    if (!expected) findings.push({ orderId: p.orderId, problem: 'extra order: not in the log' });
    else findings.push(...compareOrder(p, expected));
  }
  for (const id of want.keys()) if (!heldIds.has(id)) findings.push({ orderId: id, problem: 'missing order' });
  return findings;
}

/** Every key of either side whose numbers differ; zero counts are the same as no row. */
function compareCounts(what: string, held: Map<string, number>, want: Map<string, number>): VerifyFinding[] {
  const findings: VerifyFinding[] = [];
  for (const key of new Set([...held.keys(), ...want.keys()])) {
    const h = held.get(key) ?? 0;
    const w = want.get(key) ?? 0;
    if (h === w) continue;
    const kind = h > w ? 'double-counted' : 'under-counted';
    findings.push({ problem: `${kind} ${what} ${key}: holds ${h}, the log says ${w}` });
  }
  return findings;
}

function bucketCounts(positions: Iterable<OrderPosition>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of positions) counts.set(bucketKey(p), (counts.get(bucketKey(p)) ?? 0) + 1);
  return counts;
}

function minuteCells(rows: readonly MinuteCounts[]): Map<string, number> {
  const cells = new Map<string, number>();
  for (const row of rows) {
    for (const c of MINUTE_COUNTERS) if (row[c] !== 0) cells.set(JSON.stringify([row.minute, row.region, row.paymentProvider, c]), row[c]);
  }
  return cells;
}

async function heldBuckets(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('ops_dashboard_buckets').selectAll().execute();
  return new Map(rows.map((r) => [bucketKey({ status: r.status, region: r.region, paymentProvider: r.payment_provider }), r.count]));
}

async function heldMinutes(db: Db): Promise<MinuteCounts[]> {
  const rows = await db.selectFrom('ops_dashboard_minutes').selectAll().execute();
  return rows.map(({ minute, payment_provider, ...counts }) => ({ ...counts, minute: minute.toISOString(), paymentProvider: payment_provider }));
}

/** Everything the dashboard holds against the log: each order's row, every bucket, every minute counter. */
export async function verifyOpsDashboard(db: Db, fold: LogFold): Promise<VerifyReport> {
  const want = expectedPositions(fold);
  const [orders, buckets, minutes] = await Promise.all([readPositions(db, 'all'), heldBuckets(db), heldMinutes(db)]);
  const wantBuckets = bucketCounts(want.values());
  const [heldCells, wantCells] = [minuteCells(minutes), minuteCells(minuteCounts(fold.events))];
  const findings = [
    ...compareOrders(orders, want),
    ...compareCounts('bucket', buckets, wantBuckets),
    ...compareCounts('minute', heldCells, wantCells),
  ];
  const keys = (...maps: Array<{ keys(): Iterable<string> }>) => new Set(maps.flatMap((m) => [...m.keys()])).size;
  const checked = keys(new Map(orders.map((o) => [o.orderId, o])), want) + keys(buckets, wantBuckets) + keys(heldCells, wantCells);
  return { checked, findings };
}
