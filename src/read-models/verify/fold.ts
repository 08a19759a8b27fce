import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { storedEventColumns, toStoredEvent } from '../../outbox/load.js';
import type { LogFold } from '../read-model.js';

/**
 * Reads the whole outbox log and folds it: the truth every read model is compared with.
 * Each event carries the order's state after it, so an order's newest event is its state.
 */
export async function foldLog(db: Kysely<Database>): Promise<LogFold> {
  const rows = await db
    .selectFrom('outbox_log_events')
    .select(storedEventColumns)
    .orderBy('log_position', (ob) => ob.asc().nullsLast())
    .orderBy('position')
    .execute();
  const events = rows.map(toStoredEvent);
  const newest = new Map<string, StoredOrderEvent>();
  for (const event of events) {
    const seen = newest.get(event.aggregateId);
    if (!seen || seen.aggregateVersion < event.aggregateVersion) newest.set(event.aggregateId, event);
  }
  return { events, orders: new Map([...newest].map(([id, event]) => [id, event.payload.order])) };
}
