import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { FailureTypes } from '../../src/read-models/failures/failure-types.js';
import type { ReadModelDeps } from '../../src/read-models/read-model.js';
import { supportSearch } from '../../src/read-models/support-search/index.js';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { createSearchClient } from '../../src/search/client.js';
import { authorizeInFull, orderWithEvents } from '../support/order-events.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let deps: ReadModelDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, search: createSearchClient(inject('stack').opensearchUrl), searchIndexPrefix: uniqueName('p') };
});
afterAll(async () => {
  await deps?.search.indices.delete({ index: `${deps.searchIndexPrefix}-*` }).catch(() => undefined);
  await deps?.search.close();
  await database?.drop();
});

function apply(events: StoredOrderEvent[]) {
  const activities = createReadModelActivities(deps, [supportSearch]);
  return new MockActivityEnvironment().run(activities.applyReadModel, { readModel: supportSearch.name, eventIds: events.map((e) => e.eventId) });
}

describe('support search when its index has been deleted', () => {
  it('fails for good naming the alias, never auto-creates an index, and writes again once rebuilt', async () => {
    const { alias, index } = supportSearchIndexNames(deps.searchIndexPrefix);
    await supportSearch.ensureStorage!(deps);
    await deps.search.indices.delete({ index });
    const events = await orderWithEvents(deps.db, [authorizeInFull()]);

    const failure = await apply(events).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureTypes.storeMissing, nonRetryable: true, details: [{ readModel: 'support-search', reason: `index_not_found_exception on ${alias}` }] });
    expect((await deps.search.indices.exists({ index: alias })).body).toBe(false);
    expect(Object.keys((await deps.search.indices.get({ index: `${deps.searchIndexPrefix}-*` })).body)).toEqual([]);

    await supportSearch.ensureStorage!(deps);
    expect(await apply(events)).toEqual({ applied: 1, skipped: 1 });
    const doc = await deps.search.get({ index: alias, id: events[0]!.aggregateId });
    expect((doc.body._source as { sourceVersion: number }).sourceVersion).toBe(2);
  });
});
