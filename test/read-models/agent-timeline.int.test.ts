import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { agentTimeline } from '../../src/read-models/agent-timeline/index.js';
import { applyToAgentTimeline, AGENT_TIMELINE } from '../../src/read-models/agent-timeline/projection.js';
import { findTimeline, heldOrders } from '../../src/read-models/agent-timeline/queries.js';
import type { ReadModelDeps } from '../../src/read-models/read-model.js';
import { foldLog } from '../../src/read-models/verify/fold.js';
import { createSearchClient } from '../../src/search/client.js';
import { authorizeInFull, flagRisk, orderWithEvents, ship, type FollowUp } from '../support/order-events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let deps: ReadModelDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, search: createSearchClient(inject('stack').opensearchUrl), searchIndexPrefix: 'unused' };
});
afterAll(async () => {
  await deps?.search.close();
  await database?.drop();
});

const at = () => new Date().toISOString();
const note = (): FollowUp => ({ type: 'AddNote', at: at(), noteId: randomUUID(), text: 'called the customer', author: 'support:ab12' });
const refund = (): FollowUp => ({ type: 'IssueRefund', at: at(), refundId: randomUUID(), amountCents: 1000, reason: 'scratched' });
const inTransit = (): FollowUp => ({ type: 'RecordShipmentStatus', at: at(), status: 'in_transit' });
const disputeId = randomUUID();
const openDispute = (): FollowUp => ({ type: 'OpenDispute', at: at(), disputeId, reason: 'late' });
const resolveDispute = (): FollowUp => ({ type: 'ResolveDispute', at: at(), disputeId, outcome: 'rejected', comment: 'delivered on time' });

/** One order through its whole life: placed, paid, noted, refunded, shipped, disputed, flagged (9 events). */
const lifecycle = () => orderWithEvents(database.db, [
  authorizeInFull(), note(), refund(), ship(), inTransit(), openDispute(), resolveDispute(), flagRisk(),
]);

/** Everything the timeline holds for an order except when it was written. */
async function documentOf(orderId: string) {
  return database.db.selectFrom('agent_timeline')
    .select(['entries', 'contiguous_version', 'max_version', 'last_event_id', 'last_event_at'])
    .where('order_id', '=', orderId).executeTakeFirst();
}

async function forget(orderIds: string[]): Promise<void> {
  await database.db.deleteFrom('agent_timeline').where('order_id', 'in', orderIds).execute();
  await database.db.deleteFrom('processed_projection_events')
    .where('projection', '=', AGENT_TIMELINE).where('aggregate_id', 'in', orderIds).execute();
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Overlapping windows over a shuffled log: every event in at least two batches. */
function overlappingBatches(events: readonly StoredOrderEvent[], size: number): StoredOrderEvent[][] {
  const mixed = shuffled(events);
  const batches: StoredOrderEvent[][] = [];
  for (let start = 0; start < mixed.length; start += Math.ceil(size / 2)) batches.push(mixed.slice(start, start + size));
  return [...batches, shuffled(mixed)];
}

async function findingsFor(orderIds: string[]) {
  const report = await agentTimeline.verify!(deps, await foldLog(database.db));
  return report.findings.filter((f) => f.orderId !== undefined && orderIds.includes(f.orderId));
}

describe('agent timeline projection', () => {
  it('gives the same documents whether events arrive in order, or shuffled, repeated and in overlapping concurrent batches', async () => {
    const orders = [await lifecycle(), await lifecycle(), await lifecycle()];
    const ids = orders.map((events) => events[0]!.aggregateId);
    const log = orders.flat();
    await applyToAgentTimeline(database.db, log);
    const inOrder = await Promise.all(ids.map(documentOf));
    await forget(ids);

    const outcomes = await Promise.all(overlappingBatches(log, 8).map((batch) => applyToAgentTimeline(database.db, batch)));
    await applyToAgentTimeline(database.db, log);

    expect(outcomes.reduce((n, o) => n + o.applied, 0)).toBe(log.length);
    expect(await Promise.all(ids.map(documentOf))).toEqual(inOrder);
    expect(inOrder.map((doc) => doc?.contiguous_version)).toEqual([9, 9, 9]);
    expect(await findingsFor(ids)).toEqual([]);
  });

  it('answers one entry per event, versions 1..n, with the order\'s freshness', async () => {
    const events = await lifecycle();
    await applyToAgentTimeline(database.db, shuffled(events));

    const timeline = await findTimeline(database.db, events[0]!.aggregateId);

    expect(timeline?.entries.map((e) => [e.version, e.type])).toEqual(events.map((e) => [e.aggregateVersion, e.type]));
    expect(timeline?.entries[2]).toMatchObject({ type: 'NoteAdded', actor: 'support:ab12', text: 'called the customer' });
    expect(timeline?.freshness).toMatchObject({ sourceVersion: 9, lastEventId: events[8]!.eventId, lastEventAt: events[8]!.occurredAt.toISOString() });
  });

  it('holds entries after a gap, lists the order as held, and releases them when the missing event arrives', async () => {
    const events = await orderWithEvents(database.db, [authorizeInFull(), flagRisk(), ship(), inTransit()]);
    const orderId = events[0]!.aggregateId;
    await applyToAgentTimeline(database.db, [events[4]!, events[0]!, events[3]!, events[1]!]);

    const held = await findTimeline(database.db, orderId);
    const heldList = await heldOrders(database.db);
    const gapFindings = await findingsFor([orderId]);
    await applyToAgentTimeline(database.db, [events[2]!]);

    expect(held?.entries.map((e) => e.version)).toEqual([1, 2]);
    expect(held?.freshness).toMatchObject({ sourceVersion: 2, lastEventId: events[1]!.eventId });
    expect(heldList).toContainEqual({ orderId, shownThrough: 2, missingVersion: 3, heldThrough: 5 });
    expect(gapFindings.map((f) => f.problem)).toContain('timeline gap: versions 3 missing');
    expect((await findTimeline(database.db, orderId))?.entries.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect((await heldOrders(database.db)).map((h) => h.orderId)).not.toContain(orderId);
  });

  it('shows nothing for an order whose first event has not arrived', async () => {
    const [, paid] = await orderWithEvents(database.db, [authorizeInFull()]);
    await applyToAgentTimeline(database.db, [paid!]);

    expect(await findTimeline(database.db, paid!.aggregateId)).toBeUndefined();
  });
});

describe('agent timeline verify', () => {
  async function appliedOrder() {
    const events = await orderWithEvents(database.db, [authorizeInFull(), flagRisk()]);
    await applyToAgentTimeline(database.db, events);
    return events[0]!.aggregateId;
  }

  /** Corrupts one stored value, as a bug or a hand edit would. */
  async function setEntry(orderId: string, path: string) {
    await sql`update agent_timeline set entries = jsonb_set(entries, ${path}::text[], '"x"') where order_id = ${orderId}`.execute(database.db);
  }

  it('finds nothing in a timeline that matches the log', async () => {
    const orderId = await appliedOrder();
    expect(await findingsFor([orderId])).toEqual([]);
  });

  it('reports a changed field, a wrong type, a missing entry, a missing order and an order the log does not have', async () => {
    const [changed, retyped, gap, missing] = [await appliedOrder(), await appliedOrder(), await appliedOrder(), await appliedOrder()];
    const extra = randomUUID();
    await setEntry(changed, '{2,entry,reference}');
    await setEntry(retyped, '{3,entry,type}');
    await sql`update agent_timeline set entries = entries - '2' where order_id = ${gap}`.execute(database.db);
    await database.db.deleteFrom('agent_timeline').where('order_id', '=', missing).execute();
    await database.db.insertInto('agent_timeline').values({ order_id: extra, contiguous_version: 0 }).execute();

    const problems = (await findingsFor([changed, retyped, gap, missing, extra])).map((f) => `${f.orderId} ${f.problem}`);

    expect(problems).toEqual(expect.arrayContaining([
      `${changed} version 2 (PaymentAuthorized) has wrong fields`,
      `${retyped} version 3 is a x, the log has RiskFlagged`,
      `${gap} timeline gap: versions 2 missing`,
      `${missing} missing from the timeline`,
      `${extra} in the timeline but not in the log`,
    ]));
  });
});
