import { adminQuery } from '../support/services.js';

interface Row {
  orders: number;
  state: number | null;
  payload: number | null;
  items: number | null;
  commits: number;
}

/**
 * What a side stored, to show both wrote documents of the same size, and how many
 * transactions its database committed per order (every client of that database: for the
 * API this includes the key claims, the relay and the projections).
 */
export async function documentSizes(databaseUrl: string): Promise<string> {
  const rows = await adminQuery<Row>(
    databaseUrl,
    `select (select count(*) from orders)::int as orders,
            (select avg(octet_length(state::text))::int from orders) as state,
            (select avg(octet_length(payload::text))::int from outbox_events) as payload,
            (select round(avg(n), 2)::float from (select count(*) as n from order_items group by order_id) per_order) as items,
            (select xact_commit::int from pg_stat_database where datname = current_database()) as commits`,
  );
  const row = rows[0];
  if (!row) return 'n/a';
  const perOrder = (row.commits / Math.max(1, row.orders)).toFixed(1);
  return `${row.orders} orders, avg ${row.items ?? 0} items/order, orders.state ~${row.state ?? 0} B, outbox payload ~${row.payload ?? 0} B, ~${perOrder} commits/order`;
}
