import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { StoredOrderEvent } from '../outbox/envelope.js';
import { latestPerAggregate } from '../outbox/load.js';
import { recordFirstDeliveries } from './ledger.js';
import type { ApplyOutcome } from './read-model.js';

/** Tables keyed by `order_id` that keep each order's latest state, guarded by `source_version`. */
type LatestStateTable = 'order_summary' | 'customer_order_history';

export interface LatestStateProjection<T extends LatestStateTable> {
  readModel: string;
  table: T;
  toRow(event: StoredOrderEvent, projectedAt: Date): Insertable<Database[T]>;
  /** Every column an event can change; identity and keyset columns never do. */
  updatedColumns: readonly string[];
}

/**
 * Applies events in one transaction with the ledger. Each event carries the order's full
 * state, so the newest new event per order is enough, and the version guard keeps a late or
 * replayed event from overwriting newer state. Ledger rows go in outbox order and state rows
 * in order-id order, so overlapping batches take their locks in one sequence and never
 * deadlock each other.
 */
export async function applyLatestState<T extends LatestStateTable>(
  db: Db,
  projection: LatestStateProjection<T>,
  events: readonly StoredOrderEvent[],
): Promise<ApplyOutcome> {
  return db.transaction().execute(async (trx) => {
    const inOutboxOrder = [...events].sort((a, b) => a.position - b.position);
    const fresh = await recordFirstDeliveries(trx, projection.readModel, inOutboxOrder);
    const projectedAt = new Date();
    const rows = latestPerAggregate(fresh)
      .sort((a, b) => a.aggregateId.localeCompare(b.aggregateId))
      .map((event) => projection.toRow(event, projectedAt));
    if (rows.length > 0) {
      const table = projection.table as LatestStateTable;
      await trx
        .insertInto(table)
        .values(rows as never)
        .onConflict((oc) =>
          oc
            .column('order_id')
            .doUpdateSet((eb) => Object.fromEntries(projection.updatedColumns.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never)
            .where(sql<boolean>`${sql.table(table)}.source_version < excluded.source_version`),
        )
        .execute();
    }
    return { applied: fresh.length, skipped: events.length - fresh.length };
  });
}
