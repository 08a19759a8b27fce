import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations, migrateToLatest } from '../../src/db/migrate.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { decodeCursor } from '../../src/read-models/customer-history/cursor.js';
import { applyToCustomerHistory, CUSTOMER_HISTORY } from '../../src/read-models/customer-history/projection.js';
import { historyPage } from '../../src/read-models/customer-history/queries.js';
import { verifyCustomerHistory } from '../../src/read-models/customer-history/verify.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { foldLog } from '../../src/read-models/verify/fold.js';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import { authorizeInFull, flagRisk, orderWithEvents, ship } from '../support/order-events.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const HISTORY_MIGRATION = '2026_11_28_0010_customer_history';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const rowOf = (orderId: string) =>
  database.db.selectFrom('customer_order_history').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();

async function findings() {
  return (await verifyCustomerHistory(database.db, await foldLog(database.db))).findings;
}

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('customer history projection', () => {
  it('given a batch delivered twice, applies it once', async () => {
    const events = await orderWithEvents(database.db, [authorizeInFull(), flagRisk()]);

    const first = await applyToCustomerHistory(database.db, events);
    const second = await applyToCustomerHistory(database.db, events);

    expect(first).toEqual({ applied: 3, skipped: 0 });
    expect(second).toEqual({ applied: 0, skipped: 3 });
    expect(await rowOf(events[0]!.aggregateId)).toMatchObject({
      customer_id: 'c-1', status: 'authorized', payment_state: 'authorized', source_version: 3, last_event_id: events[2]!.eventId, item_count: 2, total_cents: 5000,
    });
  });

  it('given the newest event first, never lets the older ones overwrite it', async () => {
    const [placed, paid, shipped] = await orderWithEvents(database.db, [authorizeInFull(), ship()]);

    await applyToCustomerHistory(database.db, [shipped!]);
    const late = await applyToCustomerHistory(database.db, [placed!, paid!]);

    expect(late.applied).toBe(2);
    expect(await rowOf(placed!.aggregateId)).toMatchObject({
      status: 'shipped', shipment_status: 'shipped', shipment_carrier: 'DHL', source_version: 3, last_event_id: shipped!.eventId,
    });
    expect((await rowOf(placed!.aggregateId)).placed_at.toISOString()).toBe(new Date(placed!.payload.order.placedAt).toISOString());
  });

  it('given overlapping batches applied concurrently and shuffled, ends as if each event came once in order', async () => {
    const orders: StoredOrderEvent[][] = [];
    for (let i = 0; i < 12; i++) orders.push(await orderWithEvents(database.db, [authorizeInFull(), flagRisk(), ship()]));
    const all = orders.flat();
    const third = Math.floor(all.length / 3);

    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.all([
        applyToCustomerHistory(database.db, shuffled(all.slice(0, 2 * third), round + 1)),
        applyToCustomerHistory(database.db, shuffled(all.slice(third), round + 7)),
        applyToCustomerHistory(database.db, shuffled(all, round + 13)),
      ]);
      if (round === 0) expect(outcomes.reduce((n, o) => n + o.applied, 0)).toBe(all.length);
    }

    expect(await findings()).toEqual([]);
    for (const events of orders) {
      expect(await rowOf(events[0]!.aggregateId)).toMatchObject({ status: 'shipped', source_version: 4, last_event_id: events[3]!.eventId });
    }
  });

  it('pages by keyset: newest first, each order once', async () => {
    const page1 = await historyPage(database.db, 'c-1', 5);
    const page2 = await historyPage(database.db, 'c-1', 100, {
      customerId: 'c-1', placedAt: page1.rows.at(-1)!.placed_at.toISOString(), orderId: page1.rows.at(-1)!.order_id,
    });
    const ids = [...page1.rows, ...page2.rows].map((r) => r.order_id);
    const total = (await database.db.selectFrom('customer_order_history').select('order_id').where('customer_id', '=', 'c-1').execute()).length;

    expect(page1.nextCursor).not.toBeNull();
    expect(page2.nextCursor).toBeNull();
    expect(new Set(ids).size).toBe(total);
    const keys = [...page1.rows, ...page2.rows].map((r) => `${r.placed_at.toISOString()} ${r.order_id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });
});

describe('customer history pages', () => {
  it('given orders placed in the same millisecond, breaks the tie by order id and shows each once', async () => {
    // Its own database: the rows are edited to tie, which the log would not explain.
    const own = await createTestDatabase();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const [placed] = await orderWithEvents(own.db, []);
        await applyToCustomerHistory(own.db, [placed!]);
        ids.push(placed!.aggregateId);
      }
      // Same instant for all (the write side may well do this): only the order id tells them apart.
      await own.db.updateTable('customer_order_history').set({ placed_at: '2026-11-28T09:00:00.000Z' }).execute();

      const seen: string[] = [];
      let page = await historyPage(own.db, 'c-1', 2);
      seen.push(...page.rows.map((r) => r.order_id));
      while (page.nextCursor !== null) {
        page = await historyPage(own.db, 'c-1', 2, decodeCursor(page.nextCursor));
        seen.push(...page.rows.map((r) => r.order_id));
      }

      expect(seen).toEqual([...ids].sort().reverse());
    } finally {
      await own.drop();
    }
  });
});

describe('customer history verify', () => {
  it('finds nothing when the history matches the log', async () => {
    const events = await orderWithEvents(database.db, [authorizeInFull()]);
    await applyToCustomerHistory(database.db, events);

    expect(await findings()).toEqual([]);
  });

  it('finds a missing order, an extra row, a stale version and a wrong field', async () => {
    const [missing] = await orderWithEvents(database.db, []);
    const stale = await orderWithEvents(database.db, [authorizeInFull()]);
    const wrong = await orderWithEvents(database.db, [authorizeInFull()]);
    await applyToCustomerHistory(database.db, [stale[0]!, ...wrong]);
    const extra = { ...(await rowOf(wrong[0]!.aggregateId)), order_id: '00000000-0000-4000-8000-0000000000aa' };
    await database.db.insertInto('customer_order_history').values(extra).execute();
    await database.db.updateTable('customer_order_history').set({ refunded_cents: 7 }).where('order_id', '=', wrong[0]!.aggregateId).execute();

    const found = await findings();

    expect(found).toEqual(expect.arrayContaining([
      { orderId: missing!.aggregateId, problem: "missing from customer c-1's history" },
      { orderId: extra.order_id, problem: 'in the history but not in the log' },
      { orderId: stale[0]!.aggregateId, problem: 'sourceVersion is 1, the log says 2' },
      { orderId: wrong[0]!.aggregateId, problem: 'refundedCents is 7, the log says 0' },
    ]));
    // The stale row is behind on status, payment state, version, last event id and its time.
    expect(found.filter((f) => f.orderId === stale[0]!.aggregateId).map((f) => f.problem.split(' ')[0])).toEqual(
      ['status', 'paymentState', 'sourceVersion', 'lastEventId', 'lastEventAt']);
    expect(found).toHaveLength(1 + 1 + 5 + 1);
  });
});

describe('a database with orders from before the customer history', () => {
  it('starts the history from the outbox: every order at its newest version, its events counted as applied', async () => {
    const own = await createTestDatabase();
    try {
      const names = Object.keys(allMigrations()).sort();
      const migrator = new Migrator({ db: own.db, provider: { getMigrations: async () => allMigrations() } });
      expect((await migrator.migrateTo(names[names.indexOf(HISTORY_MIGRATION) - 1]!)).error).toBeUndefined();
      const shipped = await orderWithEvents(own.db, [authorizeInFull(), ship()]);
      const outboxId = await readOutboxId(own.db);
      await eventually('events claimed', async () => (await claimBatch(own.db, outboxId, 100)) ?? undefined);
      const unclaimed = await orderWithEvents(own.db, [flagRisk()]);

      await migrateToLatest(own.db);

      expect((await verifyCustomerHistory(own.db, await foldLog(own.db))).findings).toEqual([]);
      const page = await historyPage(own.db, 'c-1', 10);
      expect(page.rows.map((r) => [r.order_id, r.status, r.source_version, r.item_count])).toEqual([
        [unclaimed[0]!.aggregateId, 'placed', 2, 2],
        [shipped[0]!.aggregateId, 'shipped', 3, 2],
      ]);
      expect(await applyToCustomerHistory(own.db, [...shipped, ...unclaimed])).toEqual({ applied: 0, skipped: 5 });
      expect((await readModelFreshness(own.db, CUSTOMER_HISTORY)).position).toBe(3);
    } finally {
      await own.drop();
    }
  });
});
