import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { storedEventColumns, toStoredEvent } from '../../outbox/load.js';

/** Where a read model stopped for one order: the event it could not apply, and why. */
export interface HeldOrder {
  orderId: string;
  eventId: string;
  version: number;
  eventType: string;
  failureType: string;
  /** An error type, SQLSTATE or constraint name: never a value from the event. */
  reason: string;
  since: Date;
}

/** Records that `readModel` stopped at `event`; an earlier stop of the same order is kept. */
export async function recordHold(db: Db, readModel: string, event: StoredOrderEvent, failureType: string, reason: string): Promise<void> {
  await db
    .insertInto('read_model_holds')
    .values({ read_model: readModel, order_id: event.aggregateId, event_id: event.eventId, version: event.aggregateVersion, event_type: event.type, failure_type: failureType, reason })
    .onConflict((oc) =>
      oc.columns(['read_model', 'order_id'])
        .doUpdateSet((eb) => ({ event_id: eb.ref('excluded.event_id'), version: eb.ref('excluded.version'), event_type: eb.ref('excluded.event_type'), failure_type: eb.ref('excluded.failure_type'), reason: eb.ref('excluded.reason'), since: sql`now()` }))
        .where(sql<boolean>`read_model_holds.version >= excluded.version`),
    )
    .execute();
}

/** The orders `readModel` is held at, oldest first: for its status. */
export async function heldOrders(db: Db, readModel: string): Promise<HeldOrder[]> {
  const rows = await db.selectFrom('read_model_holds').selectAll().where('read_model', '=', readModel).orderBy('since').orderBy('order_id').execute();
  return rows.map((r) => ({ orderId: r.order_id, eventId: r.event_id, version: r.version, eventType: r.event_type, failureType: r.failure_type, reason: r.reason, since: r.since }));
}

/** The held version of each of these orders that is held. */
export async function heldVersions(db: Db, readModel: string, orderIds: readonly string[]): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db.selectFrom('read_model_holds').select(['order_id', 'version'])
    .where('read_model', '=', readModel).where('order_id', 'in', [...new Set(orderIds)]).execute();
  return new Map(rows.map((r) => [r.order_id, r.version]));
}

/** The holds of these orders whose held event the model's ledger now has (applied after a fix and a reset). */
export async function appliedHolds(db: Db, readModel: string, orderIds: readonly string[]): Promise<Array<{ orderId: string; version: number }>> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('read_model_holds as h')
    .select(['h.order_id', 'h.version'])
    .where('h.read_model', '=', readModel)
    .where('h.order_id', 'in', [...new Set(orderIds)])
    .where(({ exists, selectFrom }) => exists(
      selectFrom('processed_projection_events as p').select('p.event_id')
        .whereRef('p.projection', '=', 'h.read_model').whereRef('p.event_id', '=', 'h.event_id'),
    ))
    .execute();
  return rows.map((r) => ({ orderId: r.order_id, version: r.version }));
}

/** Moves an order's hold forward to a later refused event (the earlier one was applied). */
export async function moveHold(db: Db, readModel: string, event: StoredOrderEvent, failureType: string, reason: string): Promise<void> {
  await db.updateTable('read_model_holds')
    .set({ event_id: event.eventId, version: event.aggregateVersion, event_type: event.type, failure_type: failureType, reason, since: sql`now()` })
    .where('read_model', '=', readModel).where('order_id', '=', event.aggregateId)
    .execute();
}

/** Releases the hold at `version` (not one that has moved on meanwhile). */
export async function releaseHold(db: Db, readModel: string, orderId: string, version: number): Promise<void> {
  await db.deleteFrom('read_model_holds')
    .where('read_model', '=', readModel).where('order_id', '=', orderId).where('version', '=', version)
    .execute();
}

/** The order's events after `version` that the model has not applied, in version order. */
export async function unappliedEventsAfter(db: Db, readModel: string, orderId: string, version: number): Promise<StoredOrderEvent[]> {
  const rows = await db
    .selectFrom('outbox_log_events as e')
    .select(storedEventColumns.map((c) => `e.${c}` as const))
    .where('e.aggregate_id', '=', orderId)
    .where('e.aggregate_version', '>', version)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('processed_projection_events as p').select('p.event_id')
        .where('p.projection', '=', readModel).whereRef('p.event_id', '=', 'e.event_id'),
    )))
    .orderBy('e.aggregate_version')
    .execute();
  return rows.map(toStoredEvent);
}
