import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import type { StoredOrderEvent } from '../../../src/outbox/envelope.js';
import { minuteOf } from '../../../src/read-models/ops-dashboard/counting.js';
import { opsDashboard } from '../../../src/read-models/ops-dashboard/index.js';
import { byStatus, perMinute, stuckOrders } from '../../../src/read-models/ops-dashboard/queries.js';
import type { ReadModelDeps } from '../../../src/read-models/read-model.js';
import { foldLog } from '../../../src/read-models/verify/fold.js';
import { authorizeInFull, flagRisk, orderWithEvents, ship, type FollowUp } from '../../support/order-events.js';
import { sessionsWaitingForLocks } from '../../support/lock-waits.js';
import { eventually } from '../../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const at = () => new Date().toISOString();
const cancel = (): FollowUp => ({ type: 'CancelOrder', at: at(), reason: 'changed mind' });
const refund = (amountCents: number): FollowUp => ({ type: 'IssueRefund', at: at(), refundId: randomUUID(), amountCents, reason: 'dented' });
const shipment = (status: 'in_transit' | 'delivered' | 'lost'): FollowUp => ({ type: 'RecordShipmentStatus', at: at(), status });

let database: TestDatabase;
let db: Db;
beforeEach(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterEach(async () => {
  await database?.drop();
});

const deps = (): ReadModelDeps => ({ db, search: undefined as never, searchIndexPrefix: 'unused' });
const apply = (events: readonly StoredOrderEvent[]) => opsDashboard.apply(deps(), events);
const verify = async () => opsDashboard.verify!(deps(), await foldLog(db));

/** Four orders in two regions and providers: delivered and part-refunded, cancelled, paid, placed. */
async function scenario(): Promise<StoredOrderEvent[]> {
  const stripe = { region: 'us', paymentProvider: 'stripe' };
  return [
    ...(await orderWithEvents(db, [authorizeInFull(), ship(), shipment('in_transit'), shipment('delivered'), refund(1000)])),
    ...(await orderWithEvents(db, [cancel()], stripe)),
    ...(await orderWithEvents(db, [authorizeInFull(), flagRisk()])),
    ...(await orderWithEvents(db, [], stripe)),
  ];
}

/** What a reader can see: buckets holding orders, minute counters, each order's row. */
async function snapshot() {
  return {
    buckets: await db.selectFrom('ops_dashboard_buckets').selectAll().where('count', '<>', 0).orderBy('status').orderBy('region').orderBy('payment_provider').execute(),
    minutes: await db.selectFrom('ops_dashboard_minutes').selectAll().orderBy('minute').orderBy('region').orderBy('payment_provider').execute(),
    orders: await db.selectFrom('ops_dashboard_orders').selectAll().orderBy('order_id').execute(),
  };
}

/** Forgets everything the dashboard applied, ledger included, to apply the same log again. */
async function resetDashboard(): Promise<void> {
  await sql`truncate ops_dashboard_orders, ops_dashboard_buckets, ops_dashboard_minutes`.execute(db);
  await db.deleteFrom('processed_projection_events').where('projection', '=', opsDashboard.name).execute();
}

async function inOrderSnapshot(events: readonly StoredOrderEvent[]) {
  await resetDashboard();
  for (const event of events) await apply([event]);
  return snapshot();
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Locks one bucket row from another session until released, to stop a batch half-way through. */
function holdBucketRow(status: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const held = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.transaction().execute(async (trx) => {
    await sql`select 1 from ops_dashboard_buckets where status = ${status} for update`.execute(trx);
    locked();
    await released;
  });
  return { held, release: async () => { release(); await holder; } };
}

type Minute = Awaited<ReturnType<typeof perMinute>>[number];
const totals = (minutes: Minute[]) => minutes.reduce((sum, m) => ({
  placed: sum.placed + m.placed, paid: sum.paid + m.paid, shipped: sum.shipped + m.shipped,
  cancelled: sum.cancelled + m.cancelled, refunded: sum.refunded + m.refunded,
}), { placed: 0, paid: 0, shipped: 0, cancelled: 0, refunded: 0 });

const wide = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) };

describe('ops-dashboard projection', () => {
  it('counts every order in its status bucket and every counted event in its minute', async () => {
    const events = await scenario();

    await apply(events);

    expect(await byStatus(db, {})).toEqual([
      { status: 'placed', region: 'us', paymentProvider: 'stripe', count: 1 },
      { status: 'authorized', region: 'eu', paymentProvider: 'adyen', count: 1 },
      { status: 'delivered', region: 'eu', paymentProvider: 'adyen', count: 1 },
      { status: 'cancelled', region: 'us', paymentProvider: 'stripe', count: 1 },
    ]);
    expect(totals(await perMinute(db, wide, {}))).toEqual({ placed: 4, paid: 2, shipped: 1, cancelled: 1, refunded: 1 });
    expect(totals(await perMinute(db, wide, { region: 'us', paymentProvider: 'stripe' }))).toEqual({ placed: 2, paid: 0, shipped: 0, cancelled: 1, refunded: 0 });
    const firstMinute = new Date(minuteOf(events[0]!.occurredAt));
    expect(totals(await perMinute(db, { from: wide.from, to: firstMinute }, {}))).toEqual({ placed: 0, paid: 0, shipped: 0, cancelled: 0, refunded: 0 });
    expect(totals(await perMinute(db, { from: firstMinute, to: wide.to }, {}))).toMatchObject({ placed: 4 });
    expect(await verify()).toMatchObject({ findings: [] });
  });

  it('has one effect when the same batch is delivered twice', async () => {
    const events = await scenario();

    const first = await apply(events);
    const once = await snapshot();
    const second = await apply(events);

    expect(first).toEqual({ applied: events.length, skipped: 0 });
    expect(second).toEqual({ applied: 0, skipped: events.length });
    expect(await snapshot()).toEqual(once);
    expect(await verify()).toMatchObject({ findings: [] });
  });

  it('ends exactly as applying each event once in order when batches are shuffled, repeated and overlap at once', async () => {
    const events = await scenario();
    const mixed = shuffled(events);
    const overlapping = [mixed.slice(0, 10), mixed.slice(5, 15), mixed.slice(8), mixed.slice(0, 10), shuffled(mixed)];

    await Promise.all(overlapping.map((batch) => apply(batch)));
    const hostile = await snapshot();
    const report = await verify();

    expect(report.findings).toEqual([]);
    expect(hostile).toEqual(await inOrderSnapshot(events));
  });

  it('moves an order from one bucket to the next as its status changes', async () => {
    const [placed, paid, shipped] = await orderWithEvents(db, [authorizeInFull(), ship()]);

    await apply([placed!]);
    const afterPlacement = await byStatus(db, {});
    await apply([paid!]);
    const afterPayment = await byStatus(db, {});
    await apply([shipped!]);

    expect(afterPlacement).toEqual([{ status: 'placed', region: 'eu', paymentProvider: 'adyen', count: 1 }]);
    expect(afterPayment).toEqual([{ status: 'authorized', region: 'eu', paymentProvider: 'adyen', count: 1 }]);
    expect(await byStatus(db, {})).toEqual([{ status: 'shipped', region: 'eu', paymentProvider: 'adyen', count: 1 }]);
  });

  it('converges when two batches carry versions 2 and 3 of the same orders at the same time', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => orderWithEvents(db, [authorizeInFull(), ship()])));
    await apply(orders.map(([placed]) => placed!));

    await Promise.all([apply(orders.map(([, paid]) => paid!)), apply(orders.map(([, , shipped]) => shipped!).reverse())]);

    expect(await byStatus(db, {})).toEqual([{ status: 'shipped', region: 'eu', paymentProvider: 'adyen', count: 6 }]);
    expect(await verify()).toMatchObject({ findings: [] });
  });

  it.each([['version 2', 'version 3'], ['version 3', 'version 2']])(
    'moves an order from where a concurrent batch left it: %s waits on the bucket row, %s waits on the order', async (first) => {
      const [placed, paid, shipped] = await orderWithEvents(db, [authorizeInFull(), ship()]);
      const [early, late] = first === 'version 2' ? [paid!, shipped!] : [shipped!, paid!];
      await apply([placed!]);
      const { release, held } = holdBucketRow('placed');
      await held;

      const moving = apply([early]); // moves the order, then waits for the bucket row it leaves
      await eventually('the first batch waits', async () => (await sessionsWaitingForLocks(db)) === 1);
      const following = apply([late]);
      await eventually('the second batch waits for the first', async () => (await sessionsWaitingForLocks(db)) === 2);
      await release();
      await Promise.all([moving, following]);

      expect(await byStatus(db, {})).toEqual([{ status: 'shipped', region: 'eu', paymentProvider: 'adyen', count: 1 }]);
      expect(await verify()).toMatchObject({ findings: [] });
    });

  it('dates an order\'s status from the event that entered it, even when a later event came first', async () => {
    const [placed, paid, flagged] = await orderWithEvents(db, [authorizeInFull(), flagRisk()]);

    await apply([flagged!]);
    await apply([placed!, paid!]);

    const row = await db.selectFrom('ops_dashboard_orders').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'authorized', version: 3, status_since: paid!.occurredAt, status_since_version: 2 });
  });
});

describe('stuck orders from the per-order rows', () => {
  it('lists an order waiting longer than the threshold, by region, provider and status, until it moves on', async () => {
    const [placed, paid, shipped, delivered] = await orderWithEvents(db, [authorizeInFull(), ship(), shipment('delivered')]);
    const waiting = await orderWithEvents(db, [], { region: 'us', paymentProvider: 'stripe' });
    await apply([placed!, ...waiting]);
    const after = (event: StoredOrderEvent) => new Date(event.occurredAt.getTime() + 1);

    const beforeThreshold = await stuckOrders(db, placed!.occurredAt, {});
    const pastThreshold = await stuckOrders(db, after(waiting[0]!), {});
    await apply([paid!, shipped!]);
    const whileShipped = await stuckOrders(db, after(shipped!), { region: 'eu' });
    await apply([delivered!]);

    expect(beforeThreshold).toEqual([]);
    expect(pastThreshold).toEqual([
      { region: 'eu', paymentProvider: 'adyen', status: 'placed', count: 1, orderIds: [placed!.aggregateId] },
      { region: 'us', paymentProvider: 'stripe', status: 'placed', count: 1, orderIds: [waiting[0]!.aggregateId] },
    ]);
    expect(whileShipped).toEqual([{ region: 'eu', paymentProvider: 'adyen', status: 'shipped', count: 1, orderIds: [placed!.aggregateId] }]);
    expect(await stuckOrders(db, after(delivered!), { region: 'eu' })).toEqual([]);
  });
});

describe('verify', () => {
  it('finds a double-counted bucket and minute, a stale order row and a missing order', async () => {
    const events = await scenario();
    await apply(events);
    const [delivered, cancelled] = [events[0]!.aggregateId, events[6]!.aggregateId];
    const paidOrder = events[8]!.aggregateId;

    await db.updateTable('ops_dashboard_buckets').set({ count: sql`count + 1` }).where('status', '=', 'cancelled').execute();
    await db.updateTable('ops_dashboard_minutes').set({ refunded: sql`refunded + 1` }).where('region', '=', 'eu').execute();
    await db.updateTable('ops_dashboard_orders').set({ version: 5 }).where('order_id', '=', delivered).execute();
    await db.updateTable('ops_dashboard_orders').set({ status_since: new Date(0) }).where('order_id', '=', paidOrder).execute();
    await db.deleteFrom('ops_dashboard_orders').where('order_id', '=', cancelled).execute();
    const { findings } = await verify();

    expect(findings).toEqual(expect.arrayContaining([
      { problem: expect.stringMatching(/^double-counted bucket \["cancelled","us","stripe"\]: holds 2, the log says 1$/) },
      { problem: expect.stringMatching(/^double-counted minute .*"eu","adyen","refunded"\]: holds 2, the log says 1$/) },
      { orderId: delivered, problem: 'wrong version: holds 5, the log says 6' },
      { orderId: paidOrder, problem: expect.stringMatching(/^wrong statusSince: holds 1970-01-01T00:00:00.000Z/) },
      { orderId: cancelled, problem: 'missing order' },
    ]));
    expect(findings).toHaveLength(5);
  });
});
