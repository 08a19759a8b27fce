import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { recordFirstDeliveries } from '../ledger.js';
import type { ApplyOutcome } from '../read-model.js';
import { BucketDeltas, byKey, minuteCounts, nextPosition, samePosition, type OrderPosition } from './counting.js';
import { readPositions, toOrderRow } from './rows.js';

export const OPS_DASHBOARD = 'ops-dashboard';

type Trx = Transaction<Database>;

function eventsByOrder(events: readonly StoredOrderEvent[]): Map<string, StoredOrderEvent[]> {
  const byOrder = new Map<string, StoredOrderEvent[]>();
  for (const event of events) byOrder.set(event.aggregateId, [...(byOrder.get(event.aggregateId) ?? []), event]);
  return new Map([...byOrder].sort(([a], [b]) => byKey(a, b)));
}

/**
 * Orders seen for the first time are inserted, in id order; an insert that finds the row
 * (committed by another batch, or waited for) leaves it to the locked update below.
 */
async function insertNewOrders(trx: Trx, byOrder: Map<string, StoredOrderEvent[]>, deltas: BucketDeltas): Promise<Set<string>> {
  const proposed = [...byOrder].map(([, events]) => nextPosition(undefined, events));
  if (proposed.length === 0) return new Set();
  const inserted = await trx.insertInto('ops_dashboard_orders').values(proposed.map(toOrderRow))
    .onConflict((oc) => oc.column('order_id').doNothing()).returning('order_id').execute();
  const ids = new Set(inserted.map((r) => r.order_id));
  for (const position of proposed) if (ids.has(position.orderId)) deltas.move(undefined, position);
  return ids;
}

/** Existing rows, locked in id order, moved only where the events change them; the old position gives the bucket to leave. */
async function moveExistingOrders(trx: Trx, byOrder: Map<string, StoredOrderEvent[]>, inserted: Set<string>, deltas: BucketDeltas): Promise<void> {
  const ids = [...byOrder.keys()].filter((id) => !inserted.has(id));
  const moved: OrderPosition[] = [];
  for (const current of await readPositions(trx, ids, { forUpdate: true })) {
    const next = nextPosition(current, byOrder.get(current.orderId)!);
    if (samePosition(current, next)) continue;
    deltas.move(current, next); // nets to nothing unless the status (the bucket) changed
    moved.push(next);
  }
  if (moved.length === 0) return;
  await sql`update ops_dashboard_orders o set status = v.status, region = v.region, payment_provider = v.payment_provider,
      status_since = v.status_since, status_since_version = v.status_since_version, version = v.version
    from jsonb_to_recordset(${JSON.stringify(moved.map(toOrderRow))}::jsonb) as v(order_id uuid, status text, region text,
      payment_provider text, status_since timestamptz, status_since_version int, version int)
    where o.order_id = v.order_id`.execute(trx);
}

async function applyBucketDeltas(trx: Trx, deltas: BucketDeltas): Promise<void> {
  const rows = deltas.changes().map((d) => ({ status: d.status, region: d.region, payment_provider: d.paymentProvider, count: d.delta }));
  if (rows.length === 0) return;
  await trx.insertInto('ops_dashboard_buckets').values(rows)
    .onConflict((oc) => oc.columns(['status', 'region', 'payment_provider'])
      .doUpdateSet({ count: sql`ops_dashboard_buckets.count + excluded.count` }))
    .execute();
}

async function addMinuteCounts(trx: Trx, events: readonly StoredOrderEvent[]): Promise<void> {
  const rows = minuteCounts(events).map(({ paymentProvider, ...counts }) => ({ ...counts, payment_provider: paymentProvider }));
  if (rows.length === 0) return;
  const add = (c: string) => sql<number>`ops_dashboard_minutes.${sql.ref(c)} + excluded.${sql.ref(c)}`;
  await trx.insertInto('ops_dashboard_minutes').values(rows)
    .onConflict((oc) => oc.columns(['minute', 'region', 'payment_provider']).doUpdateSet({
      placed: add('placed'), paid: add('paid'), shipped: add('shipped'), cancelled: add('cancelled'), refunded: add('refunded'),
    }))
    .execute();
}

/**
 * One transaction: the ledger keeps only first deliveries (so each event is counted once per
 * minute), then order rows, buckets and minutes, each locked in key order. Every batch takes
 * its locks in these phases and orders, so concurrent batches wait for each other but never
 * deadlock, and the row lock makes each order's move and its bucket change one step.
 */
export async function applyToOpsDashboard(db: Db, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  const inLogOrder = [...events].sort((a, b) => a.position - b.position);
  return db.transaction().execute(async (trx) => {
    const fresh = await recordFirstDeliveries(trx, OPS_DASHBOARD, inLogOrder);
    const byOrder = eventsByOrder(fresh);
    const deltas = new BucketDeltas();
    const inserted = await insertNewOrders(trx, byOrder, deltas);
    await moveExistingOrders(trx, byOrder, inserted, deltas);
    await applyBucketDeltas(trx, deltas);
    await addMinuteCounts(trx, fresh);
    return { applied: fresh.length, skipped: events.length - fresh.length };
  });
}
