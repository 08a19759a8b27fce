import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations, migrateToLatest } from '../../src/db/migrate.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { advanceCheckpoint, readModelFreshness } from '../../src/read-models/checkpoints.js';
import { findOrderSummary, orderStatusView } from '../../src/read-models/order-status/queries.js';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import { authorizeInFull, orderWithEvents } from '../support/order-events.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Claims events the way the relay did before log positions existed. */
async function claimAsBefore(events: StoredOrderEvent[]): Promise<void> {
  const positions = events.map((e) => e.position);
  const batch = await database.db.insertInto('outbox_batches')
    .values({ event_count: events.length, first_position: positions[0]!, last_position: positions.at(-1)! })
    .returning('id').executeTakeFirstOrThrow();
  await database.db.updateTable('outbox_events').set({ batch_id: batch.id }).where('position', 'in', positions).execute();
}

/** What order_summary's projection wrote before: its own name in the ledger, the old columns. */
async function projectAsBefore(events: StoredOrderEvent[]): Promise<void> {
  await database.db.insertInto('processed_projection_events').values(events.map((e) => ({
    projection: 'order_summary', event_id: e.eventId, aggregate_id: e.aggregateId, aggregate_version: e.aggregateVersion,
  }))).execute();
  const last = events.at(-1)!;
  await sql`insert into order_summary (order_id, customer_id, status, payment_state, refund_state, total_cents, refunded_cents,
      currency, region, payment_provider, item_count, placed_at, source_version, last_event_id, last_event_at, projected_at)
    values (${last.aggregateId}, 'c-1', 'authorized', 'authorized', 'none', 5000, 0, 'EUR', 'eu', 'adyen', 2, now(),
      ${last.aggregateVersion}, ${last.eventId}, now(), now())`.execute(database.db);
}

describe('a database from before read model checkpoints', () => {
  it('numbers claimed events in claim order, keeps the order_summary ledger and carries on', async () => {
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => allMigrations() } });
    const down = await migrator.migrateTo('2026_11_26_0002_read_models');
    expect(down.error).toBeUndefined();
    const first = await orderWithEvents(database.db, [authorizeInFull()]);
    const second = await orderWithEvents(database.db, [authorizeInFull()]);
    await claimAsBefore(second); // claimed first, although written later
    await claimAsBefore(first);
    await projectAsBefore(second); // the first order's batch was still running

    await migrateToLatest(database.db);
    await advanceCheckpoint(database.db, 'order-status');

    const logged = await database.db.selectFrom('outbox_events').select(['event_id', 'log_position']).orderBy('log_position').execute();
    expect(logged.map((e) => e.event_id)).toEqual([...second, ...first].map((e) => e.eventId));
    expect(logged.map((e) => e.log_position)).toEqual([1, 2, 3, 4]);
    expect(await readModelFreshness(database.db, 'order-status')).toMatchObject({ position: 2, lagEvents: 2 });
    const row = await findOrderSummary(database.db, second[0]!.aggregateId, { id: 'test', role: 'support' });
    expect(orderStatusView(row!)).toMatchObject({ status: 'authorized', shipment: null, openDisputes: 0, riskFlags: [] });

    const third = await orderWithEvents(database.db, []);
    const outboxId = await readOutboxId(database.db);
    await eventually('new event claimed', async () => (await claimBatch(database.db, outboxId, 10)) ?? undefined);
    const next = await database.db.selectFrom('outbox_events').select('log_position').where('event_id', '=', third[0]!.eventId).executeTakeFirstOrThrow();
    expect(next.log_position).toBe(5);
  });
});
