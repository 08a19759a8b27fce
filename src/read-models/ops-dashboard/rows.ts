import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OrderPosition } from './counting.js';
import type { OpsDashboardOrderTable } from './storage.js';

export function toOrderRow(p: OrderPosition): Insertable<OpsDashboardOrderTable> {
  return {
    order_id: p.orderId, status: p.status, region: p.region, payment_provider: p.paymentProvider,
    status_since: p.statusSince.toISOString(), status_since_version: p.statusSinceVersion, version: p.version,
  };
}

/** The rows of these orders (all of them without ids), in id order; locked when asked, for a move. */
export async function readPositions(db: Kysely<Database>, ids: readonly string[] | 'all', { forUpdate = false } = {}): Promise<OrderPosition[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  let query = db.selectFrom('ops_dashboard_orders').selectAll().orderBy('order_id');
  if (ids !== 'all') query = query.where('order_id', 'in', [...ids]);
  if (forUpdate) query = query.forUpdate();
  const rows = await query.execute();
  return rows.map((r) => ({
    orderId: r.order_id, status: r.status, region: r.region, paymentProvider: r.payment_provider,
    statusSince: r.status_since, statusSinceVersion: r.status_since_version, version: r.version,
  }));
}
