import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { ORDER_STATUSES } from '../../domain/index.js';
import { MINUTE_COUNTERS } from './counting.js';

export interface Narrowing {
  region?: string | undefined;
  paymentProvider?: string | undefined;
}

/** Statuses in lifecycle order, then region and provider. */
const statusRank = sql<number>`array_position(${sql.val([...ORDER_STATUSES])}::text[], status)`;

/** The current snapshot: every bucket holding orders, narrowed by region and provider. */
export async function byStatus(db: Db, narrowing: Narrowing) {
  const rows = await db.selectFrom('ops_dashboard_buckets')
    .select(['status', 'region', 'payment_provider', 'count'])
    .where('count', '>', 0)
    .$if(narrowing.region !== undefined, (q) => q.where('region', '=', narrowing.region!))
    .$if(narrowing.paymentProvider !== undefined, (q) => q.where('payment_provider', '=', narrowing.paymentProvider!))
    .orderBy(statusRank).orderBy('region').orderBy('payment_provider')
    .execute();
  return rows.map((r) => ({ status: r.status, region: r.region, paymentProvider: r.payment_provider, count: r.count }));
}

/** Minutes that start in [from, to) and saw a counted event, oldest first, summed over what is not narrowed. */
export async function perMinute(db: Db, window: { from: Date; to: Date }, narrowing: Narrowing) {
  const rows = await db.selectFrom('ops_dashboard_minutes')
    .select((eb) => ['minute', ...MINUTE_COUNTERS.map((c) => sql<number>`sum(${eb.ref(c)})::int`.as(c))])
    .where('minute', '>=', window.from).where('minute', '<', window.to)
    .$if(narrowing.region !== undefined, (q) => q.where('region', '=', narrowing.region!))
    .$if(narrowing.paymentProvider !== undefined, (q) => q.where('payment_provider', '=', narrowing.paymentProvider!))
    .groupBy('minute').orderBy('minute')
    .execute();
  return rows.map((r) => ({ minute: r.minute.toISOString(), placed: r.placed, paid: r.paid, shipped: r.shipped, cancelled: r.cancelled, refunded: r.refunded }));
}

/** Statuses an order can sit in waiting for someone: placed and unpaid, paid and unshipped, shipped and undelivered. */
export const WAITING_STATUSES = ['placed', 'authorized', 'shipped'] as const;
/** Ids listed per group at most, oldest first; `count` is always the whole group. */
export const STUCK_IDS_PER_GROUP = 100;

/** Orders in a waiting status since before `cutoff`, grouped; served by the (status, status_since) index. */
export async function stuckOrders(db: Db, cutoff: Date, narrowing: Narrowing) {
  const rows = await db.selectFrom('ops_dashboard_orders')
    .select(['region', 'payment_provider', 'status'])
    .select(sql<number>`count(*)::int`.as('count'))
    .select(sql<string[]>`(array_agg(order_id::text order by status_since, order_id))[1:${sql.lit(STUCK_IDS_PER_GROUP)}]`.as('order_ids'))
    .where('status', 'in', [...WAITING_STATUSES])
    .where('status_since', '<', cutoff)
    .$if(narrowing.region !== undefined, (q) => q.where('region', '=', narrowing.region!))
    .$if(narrowing.paymentProvider !== undefined, (q) => q.where('payment_provider', '=', narrowing.paymentProvider!))
    .groupBy(['region', 'payment_provider', 'status'])
    .orderBy('region').orderBy('payment_provider').orderBy(statusRank)
    .execute();
  return rows.map((r) => ({ region: r.region, paymentProvider: r.payment_provider, status: r.status, count: r.count, orderIds: r.order_ids }));
}
