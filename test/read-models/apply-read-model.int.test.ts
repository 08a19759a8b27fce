import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import type { ApplyOutcome, ReadModel, ReadModelDeps } from '../../src/read-models/read-model.js';
import { readModelNames, readModels } from '../../src/read-models/registry.js';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { authorizeInFull, flagRisk, orderWithEvents, ship } from '../support/order-events.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';
import { claimAll } from '../support/realistic-log.js';

let search: SearchClient;
let prefix: string;
let database: TestDatabase;
let deps: ReadModelDeps;

beforeAll(async () => {
  search = createSearchClient(inject('stack').opensearchUrl);
  prefix = uniqueName('p');
});
afterAll(async () => {
  await search?.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
  await search?.close();
});
// A database per test, so log positions start at 1 and every checkpoint at 0.
beforeEach(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, search, searchIndexPrefix: prefix };
  for (const model of readModels) await model.ensureStorage?.(deps);
});
afterEach(async () => {
  await database?.drop();
});

/** The order's version as each read model's readers see it; every registered model needs one. */
const versionSeenBy: Record<string, (orderId: string) => Promise<number | undefined>> = {
  'order-status': async (orderId) =>
    (await deps.db.selectFrom('order_summary').select('source_version').where('order_id', '=', orderId).executeTakeFirst())?.source_version,
  'agent-timeline': async (orderId) =>
    (await deps.db.selectFrom('agent_timeline').select('contiguous_version').where('order_id', '=', orderId).executeTakeFirst())?.contiguous_version,
  'support-search': async (orderId) => {
    const doc = await search.get({ index: supportSearchIndexNames(prefix).alias, id: orderId }).catch(() => undefined);
    return (doc?.body._source as { sourceVersion?: number } | undefined)?.sourceVersion;
  },
  'ops-dashboard': async (orderId) =>
    (await deps.db.selectFrom('ops_dashboard_orders').select('version').where('order_id', '=', orderId).executeTakeFirst())?.version,
  'customer-history': async (orderId) =>
    (await deps.db.selectFrom('customer_order_history').select('source_version').where('order_id', '=', orderId).executeTakeFirst())?.source_version,
};

/** Claims the events as the relay does, which gives them their log positions 1..n. */
async function claimed(events: StoredOrderEvent[]): Promise<StoredOrderEvent[]> {
  // Another transaction open anywhere on the shared server may hold rows back: claim until none is left.
  await claimAll(deps.db, 1000);
  return events;
}

function apply(model: ReadModel, events: StoredOrderEvent[]): Promise<ApplyOutcome> {
  const activities = createReadModelActivities(deps, readModels);
  return new MockActivityEnvironment().run(activities.applyReadModel, { readModel: model.name, eventIds: events.map((e) => e.eventId) });
}

it('knows how every registered read model is read back', () => {
  expect(Object.keys(versionSeenBy).sort()).toEqual(readModelNames().sort());
});

describe.each(readModels.map((model) => [model.name, model] as const))('applyReadModel on %s', (_name, model) => {
  it('has one effect however often the same batch is delivered', async () => {
    const events = await claimed(await orderWithEvents(deps.db, [authorizeInFull(), flagRisk()]));

    const first = await apply(model, events);
    const second = await apply(model, events);

    expect(first.applied).toBeGreaterThan(0);
    expect(second.applied).toBe(0);
    expect(await versionSeenBy[model.name]!(events[0]!.aggregateId)).toBe(3);
    expect(await readModelFreshness(deps.db, model.name)).toEqual({ position: 3, lagEvents: 0, lagMs: 0 });
  });

  it('keeps the newest state when batches arrive out of order', async () => {
    const [placed, paid, flagged] = await claimed(await orderWithEvents(deps.db, [authorizeInFull(), flagRisk()]));

    await apply(model, [flagged!]);
    const afterNewest = await readModelFreshness(deps.db, model.name);
    await apply(model, [placed!, paid!]);

    expect(await versionSeenBy[model.name]!(placed!.aggregateId)).toBe(3);
    expect(afterNewest).toMatchObject({ position: 0, lagEvents: 3 });
    expect(await readModelFreshness(deps.db, model.name)).toEqual({ position: 3, lagEvents: 0, lagMs: 0 });
  });

  it('never moves its checkpoint past an event it has not applied', async () => {
    const events = await claimed(await orderWithEvents(deps.db, [authorizeInFull(), flagRisk(), flagRisk('chargeback'), ship()]));
    const late = events[3]!;
    const now = new Date(late.occurredAt.getTime() + 1500);

    await apply(model, [events[0]!, events[1]!, events[2]!, events[4]!]);
    const withGap = await readModelFreshness(deps.db, model.name, now);
    await apply(model, [late]);

    expect(withGap).toEqual({ position: 3, lagEvents: 2, lagMs: 1500 });
    expect(await readModelFreshness(deps.db, model.name, now)).toEqual({ position: 5, lagEvents: 0, lagMs: 0 });
  });

  it('counts committed events the relay has not claimed yet as lag', async () => {
    await apply(model, await claimed(await orderWithEvents(deps.db, [])));
    const [unclaimed] = await orderWithEvents(deps.db, []);
    const now = new Date(unclaimed!.occurredAt.getTime() + 700);

    const freshness = await eventually('the new event counted', async () => {
      const f = await readModelFreshness(deps.db, model.name, now);
      return f.lagEvents === 1 ? f : undefined; // eligible once older transactions on the server end
    });
    expect(freshness).toEqual({ position: 1, lagEvents: 1, lagMs: 700 });
  });
});

describe('applyReadModel with a name the registry does not know', () => {
  it('fails without retry and names the read models it knows', async () => {
    const activities = createReadModelActivities(deps, readModels);
    const failure = await new MockActivityEnvironment()
      .run(activities.applyReadModel, { readModel: 'no-such-model', eventIds: [] })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnknownReadModel', nonRetryable: true, details: [{ readModel: 'no-such-model', known: readModelNames() }] });
  });
});

describe('applyReadModel on a read model that handles some event types only', () => {
  it('gives it only those events, and counts the others as applied for its checkpoint', async () => {
    const seen: string[] = [];
    const risksOnly: ReadModel = {
      name: 'risk-only', version: 1, store: 'postgres', handles: ['RiskFlagged'],
      apply: async (_deps, events) => {
        seen.push(...events.map((e) => e.type));
        return { applied: events.length, skipped: 0 };
      },
    };
    const events = await claimed(await orderWithEvents(deps.db, [authorizeInFull(), flagRisk()]));

    const outcome = await new MockActivityEnvironment().run(createReadModelActivities(deps, [risksOnly]).applyReadModel,
      { readModel: 'risk-only', eventIds: events.map((e) => e.eventId) });

    expect(seen).toEqual(['RiskFlagged']);
    expect(outcome).toEqual({ applied: 1, skipped: 2 });
    expect(await readModelFreshness(deps.db, 'risk-only')).toEqual({ position: 3, lagEvents: 0, lagMs: 0 });
  });
});
