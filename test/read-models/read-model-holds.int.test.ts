import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import { archiveChunk } from '../../src/outbox/archive.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { FailureTypes } from '../../src/read-models/failures/failure-types.js';
import { heldOrders } from '../../src/read-models/failures/holds.js';
import { recordFirstDeliveries } from '../../src/read-models/ledger.js';
import type { ApplyOutcome, ReadModel, ReadModelDeps } from '../../src/read-models/read-model.js';
import { markCompleted } from '../../src/relay/batches.js';
import { createSearchClient } from '../../src/search/client.js';
import { authorizeInFull, flagRisk, orderWithEvents } from '../support/order-events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { claimAll } from '../support/realistic-log.js';

const TIMELINE = 'test-timeline';
let database: TestDatabase;
let deps: ReadModelDeps;

/**
 * A read model that needs every event, like a timeline: one row per event, in a real table.
 * The fault is real too: a CHECK constraint the test adds refuses one event.
 */
const timeline: ReadModel = {
  name: TIMELINE, version: 1, store: 'postgres', handles: 'all', needsEveryEvent: true,
  apply: (d, events) => d.db.transaction().execute(async (trx) => {
    const fresh = await recordFirstDeliveries(trx, TIMELINE, events);
    for (const e of [...fresh].sort((a, b) => a.aggregateId.localeCompare(b.aggregateId) || a.aggregateVersion - b.aggregateVersion)) {
      await sql`insert into test_timeline (order_id, version) values (${e.aggregateId}, ${e.aggregateVersion})`.execute(trx);
    }
    return { applied: fresh.length, skipped: events.length - fresh.length };
  }),
};

beforeEach(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, search: createSearchClient(inject('stack').opensearchUrl), searchIndexPrefix: 'unused' };
  await sql`create table test_timeline (seq serial, order_id uuid not null, version int not null, primary key (order_id, version))`.execute(deps.db);
});
afterEach(async () => {
  await deps?.search.close();
  await database?.drop();
});

async function claimed(): Promise<void> {
  await claimAll(deps.db, 1000);
}

function apply(events: StoredOrderEvent[]): Promise<ApplyOutcome> {
  const activities = createReadModelActivities(deps, [timeline]);
  return new MockActivityEnvironment().run(activities.applyReadModel, { readModel: TIMELINE, eventIds: events.map((e) => e.eventId) });
}

async function refuse(event: StoredOrderEvent): Promise<void> {
  await sql`alter table test_timeline add constraint refuse_marked
    check (not (order_id = ${sql.lit(event.aggregateId)} and version = ${sql.lit(event.aggregateVersion)}))`.execute(deps.db);
}

/** The order's versions in the order the timeline received them. */
async function versionsOf(orderId: string): Promise<number[]> {
  const rows = await deps.db.selectFrom('test_timeline' as never).select('version' as never).where('order_id' as never, '=', orderId as never).orderBy('seq' as never).execute();
  return rows.map((r) => (r as { version: number }).version);
}

async function ledgered(events: StoredOrderEvent[]): Promise<string[]> {
  const rows = await deps.db.selectFrom('processed_projection_events').select('event_id')
    .where('projection', '=', TIMELINE).where('event_id', 'in', events.map((e) => e.eventId)).execute();
  return rows.map((r) => r.event_id);
}

describe('a read model that needs every event, when one event is refused', () => {
  let broken: StoredOrderEvent[];
  let healthy: StoredOrderEvent[];
  let firstBatch: StoredOrderEvent[];

  beforeEach(async () => {
    broken = await orderWithEvents(deps.db, [authorizeInFull(), flagRisk(), flagRisk('second')]); // v1..v4
    healthy = await orderWithEvents(deps.db, [authorizeInFull(), flagRisk()]); // v1..v3
    await claimed();
    await refuse(broken[1]!);
    firstBatch = [...broken.slice(0, 3), ...healthy];
  });

  it('fails for good naming the event, order, version, model and cause, after applying every other order', async () => {
    const failure = await apply(firstBatch).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: FailureTypes.eventRejected, nonRetryable: true,
      details: [{ readModel: TIMELINE, eventId: broken[1]!.eventId, orderId: broken[0]!.aggregateId, version: 2, eventType: 'PaymentAuthorized' }],
    });
    expect((failure as ApplicationFailure).details![0]).toMatchObject({ reason: expect.stringContaining('constraint refuse_marked') });
    expect(await versionsOf(healthy[0]!.aggregateId)).toEqual([1, 2, 3]);
    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1]);
    expect(await heldOrders(deps.db, TIMELINE)).toMatchObject([{ orderId: broken[0]!.aggregateId, eventId: broken[1]!.eventId, version: 2, reason: expect.stringContaining('sqlstate 23514') }]);
    expect((await readModelFreshness(deps.db, TIMELINE)).position).toBe(1);
  });

  it('applies no later event of the held order, while other orders keep flowing', async () => {
    await apply(firstBatch).catch(() => undefined);
    const more = await orderWithEvents(deps.db, [authorizeInFull()]);
    await claimed();

    const outcome = await apply([broken[3]!, ...more]);

    expect(outcome).toEqual({ applied: 2, skipped: 1 });
    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1]);
    expect(await versionsOf(more[0]!.aggregateId)).toEqual([1, 2]);
    expect(await ledgered([broken[3]!])).toEqual([]);
  });

  it('after the fix, re-running the failed batch releases the order and its held events follow by themselves, in order', async () => {
    await apply(firstBatch).catch(() => undefined);
    await apply([broken[3]!]);
    await sql`alter table test_timeline drop constraint refuse_marked`.execute(deps.db);

    await apply(firstBatch); // what a reset of the failed batch workflow does

    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1, 2, 3, 4]);
    expect(await versionsOf(healthy[0]!.aggregateId)).toEqual([1, 2, 3]);
    expect(await heldOrders(deps.db, TIMELINE)).toEqual([]);
    expect(await readModelFreshness(deps.db, TIMELINE)).toEqual({ position: 7, lagEvents: 0, lagMs: 0 });
  });

  it('keeps a held order\'s events in the outbox until they follow, then lets them move to the event log', async () => {
    await apply(firstBatch).catch(() => undefined);
    await apply([broken[3]!]);
    const batches = await deps.db.selectFrom('outbox_batches').select('id').execute();
    for (const { id } of batches) await markCompleted(deps.db, Number(id));
    const inOutbox = async () => (await deps.db.selectFrom('outbox_events').select('event_id').execute()).length;

    // The model's checkpoint stops before the refused event, and nothing past it may move.
    expect(await archiveChunk(deps.db, [TIMELINE], 1000)).toEqual({ moved: 1, bound: 1 });
    expect(await inOutbox()).toBe(6);

    await sql`alter table test_timeline drop constraint refuse_marked`.execute(deps.db);
    await apply(firstBatch); // the reset: the held events follow
    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1, 2, 3, 4]);
    expect(await archiveChunk(deps.db, [TIMELINE], 1000)).toEqual({ moved: 6, bound: 7 });
    expect(await inOutbox()).toBe(0);

    // A second reset, reading every event back from the event log, applies nothing twice.
    expect(await apply(firstBatch)).toEqual({ applied: 0, skipped: firstBatch.length });
    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1, 2, 3, 4]);
  });

  it('has one effect per event when the reset run overlaps another delivery of the held events', async () => {
    await apply(firstBatch).catch(() => undefined);
    await apply([broken[3]!]);
    await sql`alter table test_timeline drop constraint refuse_marked`.execute(deps.db);

    await Promise.all([apply(firstBatch), apply([broken[3]!]), apply(firstBatch)]);

    expect(await versionsOf(broken[0]!.aggregateId)).toEqual([1, 2, 3, 4]);
    expect((await ledgered([...broken, ...healthy])).length).toBe(7);
    expect(await heldOrders(deps.db, TIMELINE)).toEqual([]);
    expect(await readModelFreshness(deps.db, TIMELINE)).toEqual({ position: 7, lagEvents: 0, lagMs: 0 });
  });
});

describe('a read model that keeps the latest state, when one event is refused', () => {
  it('records where the order stopped but keeps applying its later events', async () => {
    const latestOnly: ReadModel = { ...timeline, name: TIMELINE, needsEveryEvent: false };
    const events = await orderWithEvents(deps.db, [authorizeInFull(), flagRisk()]);
    await claimed();
    await refuse(events[1]!);
    const activities = createReadModelActivities(deps, [latestOnly]);
    const run = (batch: StoredOrderEvent[]) => new MockActivityEnvironment().run(activities.applyReadModel, { readModel: TIMELINE, eventIds: batch.map((e) => e.eventId) });

    await run(events.slice(0, 2)).catch(() => undefined);
    await run([events[2]!]);

    expect(await versionsOf(events[0]!.aggregateId)).toEqual([1, 3]);
    expect(await heldOrders(deps.db, TIMELINE)).toMatchObject([{ version: 2 }]);
  });
});
