import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { applyToOrderStatus } from '../../src/read-models/order-status/projection.js';
import { applyToSupportSearch } from '../../src/read-models/support-search/projection.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { authorizeInFull, flagRisk, orderWithEvents } from '../support/order-events.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let search: SearchClient;
let prefix: string;

beforeAll(async () => {
  database = await createTestDatabase();
  search = createSearchClient(inject('stack').opensearchUrl);
  prefix = uniqueName('p');
  await ensureSupportSearchIndex(search, prefix);
});
afterAll(async () => {
  await search?.indices.delete({ index: supportSearchIndexNames(prefix).index }).catch(() => undefined);
  await search?.close();
  await database?.drop();
});

/** One order with three events: placed (v1), payment authorized (v2), risk flagged (v3). */
const deps = () => ({ db: database.db, search, searchIndexPrefix: prefix });

function orderWithThreeEvents(): Promise<StoredOrderEvent[]> {
  return orderWithEvents(database.db, [authorizeInFull(), flagRisk()]);
}

async function summaryOf(orderId: string) {
  return database.db.selectFrom('order_summary').selectAll().where('order_id', '=', orderId).executeTakeFirstOrThrow();
}

describe('order_summary projection', () => {
  it('applies a batch once however often it is delivered', async () => {
    const events = await orderWithThreeEvents();
    const first = await applyToOrderStatus(database.db, events);
    const second = await applyToOrderStatus(database.db, events);

    expect(first).toEqual({ applied: 3, skipped: 0 });
    expect(second).toEqual({ applied: 0, skipped: 3 });
    const ledger = await database.db.selectFrom('processed_projection_events').select('event_id').where('aggregate_id', '=', events[0]!.aggregateId).execute();
    expect(ledger).toHaveLength(3);
    expect(await summaryOf(events[0]!.aggregateId)).toMatchObject({ source_version: 3, status: 'authorized', last_event_id: events[2]!.eventId });
  });

  it('never lets an older event overwrite newer state when batches arrive out of order', async () => {
    const [placed, paid, flagged] = await orderWithThreeEvents();
    await applyToOrderStatus(database.db, [flagged!]);
    const late = await applyToOrderStatus(database.db, [placed!, paid!]);

    expect(late.applied).toBe(2); // recorded as seen, but their older state is not written
    const row = await summaryOf(placed!.aggregateId);
    expect(row).toMatchObject({ source_version: 3, status: 'authorized', payment_state: 'authorized', last_event_id: flagged!.eventId });
  });
});

describe('support search projection', () => {
  async function documentOf(orderId: string) {
    const { alias } = supportSearchIndexNames(prefix);
    const response = await search.get({ index: alias, id: orderId });
    return { version: response.body._version, source: response.body._source as Record<string, unknown> };
  }

  it('keeps the newest version through replays and out-of-order batches', async () => {
    const [placed, paid, flagged] = await orderWithThreeEvents();

    await applyToSupportSearch(deps(), [paid!]);
    await applyToSupportSearch(deps(), [flagged!]);
    const late = await applyToSupportSearch(deps(), [placed!]);
    const replay = await applyToSupportSearch(deps(), [placed!, paid!, flagged!]);

    expect(late).toEqual({ applied: 0, skipped: 1 });
    expect(replay).toEqual({ applied: 0, skipped: 3 });
    const doc = await documentOf(placed!.aggregateId);
    expect(doc.version).toBe(3);
    expect(doc.source).toMatchObject({ sourceVersion: 3, paymentState: 'authorized', riskFlags: ['velocity'], lastEventId: flagged!.eventId });
  });
});
