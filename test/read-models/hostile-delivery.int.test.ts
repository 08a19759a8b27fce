import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import type { ReadModel, ReadModelDeps } from '../../src/read-models/read-model.js';
import { readModels } from '../../src/read-models/registry.js';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { allFindings, NO_VERIFIER, verifyReadModels } from '../../src/read-models/verify/run.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { claimAll, writeRealisticLog } from '../support/realistic-log.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

let search: SearchClient;
let database: TestDatabase;
let deps: ReadModelDeps;
let batches: string[][];
const prefixes: string[] = [];

beforeAll(() => {
  search = createSearchClient(inject('stack').opensearchUrl);
});
afterAll(async () => {
  for (const prefix of prefixes) await search.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
  await search?.close();
});
// Given: a fresh database and index prefix, and a log written by real commands, claimed in batches of 7.
beforeEach(async () => {
  database = await createTestDatabase();
  const prefix = uniqueName('h');
  prefixes.push(prefix);
  deps = { db: database.db, search, searchIndexPrefix: prefix };
  for (const model of readModels) await model.ensureStorage?.(deps);
  await writeRealisticLog(deps.db);
  batches = await claimAll(deps.db, 7);
});
afterEach(async () => {
  await database?.drop();
});

/** The same code a batch workflow's activity runs. */
function deliver(model: ReadModel, eventIds: string[]) {
  const activities = createReadModelActivities(deps, readModels);
  return new MockActivityEnvironment().run(activities.applyReadModel, { readModel: model.name, eventIds });
}

/** A fixed permutation, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number, step = size): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += step) out.push(items.slice(start, start + size));
  return out;
}

async function expectExactlyTheLog(model: ReadModel) {
  const run = await verifyReadModels(deps, [model]);
  expect(allFindings(run)).toEqual([]);
  expect(run.results.map((r) => r.name)).toEqual(['write-model', model.name]);
  expect(run.results[1]!.checked).toBeGreaterThanOrEqual(run.orders);
  expect(await readModelFreshness(deps.db, model.name)).toEqual({ position: run.events, lagEvents: 0, lagMs: 0 });
}

describe.each(readModels.map((model) => [model.name, model] as const))('hostile delivery to %s', (_name, model) => {
  it('is exactly the log when every batch is delivered twice', async () => {
    for (const batch of batches) {
      await deliver(model, batch);
      await deliver(model, batch);
    }
    await expectExactlyTheLog(model);
  });

  it('is exactly the log when the events arrive shuffled, in batches of any order', async () => {
    const events = shuffled(batches.flat(), 7);
    for (const batch of chunks(events, 5)) await deliver(model, batch);
    await expectExactlyTheLog(model);
  });

  it('is exactly the log when overlapping batches are applied at the same time', async () => {
    const events = batches.flat();
    // Windows of 9 moving by 4: every event rides in two or three batches, all in flight together.
    await Promise.all([...chunks(events, 9, 4), events].map((batch) => deliver(model, batch)));
    await expectExactlyTheLog(model);
  });
});

describe('the verifier is not blind', () => {
  const byName = (name: string) => readModels.find((m) => m.name === name)!;
  async function deliverAll(model: ReadModel) {
    for (const batch of batches) await deliver(model, batch);
  }
  const orderIds = async () => (await deps.db.selectFrom('orders').select('id').orderBy('id').execute()).map((r) => r.id);

  it('reports a changed, a missing and a stale row of order-status, and an event missing from its ledger', async () => {
    const model = byName('order-status');
    await deliverAll(model);
    const [changed, missing, stale, unledgered] = await orderIds();
    await deps.db.updateTable('order_summary').set({ refunded_cents: -1 }).where('order_id', '=', changed!).execute();
    await deps.db.deleteFrom('order_summary').where('order_id', '=', missing!).execute();
    await deps.db.updateTable('order_summary').set((eb) => ({ source_version: eb('source_version', '-', 1) })).where('order_id', '=', stale!).execute();
    await deps.db.deleteFrom('processed_projection_events').where('projection', '=', model.name).where('aggregate_id', '=', unledgered!).where('aggregate_version', '=', 1).execute();

    const findings = allFindings(await verifyReadModels(deps, [model]));

    expect(findings).toEqual(expect.arrayContaining([
      { model: 'order-status', orderId: changed, problem: 'fields differ from the log: refunded_cents' },
      { model: 'order-status', orderId: missing, problem: 'missing: no row for an order in the log' },
      { model: 'order-status', orderId: stale, problem: expect.stringMatching(/^wrong version: holds v\d+, the log has v\d+$/) },
      { model: 'order-status', orderId: unledgered, problem: 'events not applied (ledger lacks v1)' },
    ]));
    expect(findings).toHaveLength(4);
  });

  it('reports a changed, a missing and an extra support-search document', async () => {
    const model = byName('support-search');
    await deliverAll(model);
    const [changed, missing] = await orderIds();
    const alias = supportSearchIndexNames(deps.searchIndexPrefix).alias;
    const current = await search.get({ index: alias, id: changed! });
    await search.index({ index: alias, id: changed!, version: current.body._version, version_type: 'external_gte', body: { ...(current.body._source as object), totalCents: -1, skus: ['NOT-ORDERED'] } as never });
    await search.delete({ index: alias, id: missing! });
    const extra = '00000000-0000-4000-8000-000000000001';
    await search.index({ index: alias, id: extra, body: { ...(current.body._source as object), orderId: extra } as never });

    const findings = allFindings(await verifyReadModels(deps, [model]));

    expect(findings).toEqual(expect.arrayContaining([
      { model: 'support-search', orderId: changed, problem: 'field totalCents differs from the log' },
      { model: 'support-search', orderId: changed, problem: 'field skus differs from the log' },
      { model: 'support-search', orderId: missing, problem: 'missing from the search index' },
      { model: 'support-search', orderId: extra, problem: 'in the search index but not in the log' },
    ]));
    expect(findings).toHaveLength(4);
  });

  it('reports a write model whose order or items differ from the log, and a read model without a verifier', async () => {
    const [changed, moreItems] = await orderIds();
    await deps.db.updateTable('orders').set({ status: 'unknown' }).where('id', '=', changed!).execute();
    await deps.db.updateTable('order_items').set((eb) => ({ quantity: eb('quantity', '+', 1) })).where('order_id', '=', moreItems!).execute();
    const unverified: ReadModel = { ...readModels[0]!, name: 'unverified', verify: undefined };

    const findings = allFindings(await verifyReadModels(deps, [unverified]));

    expect(findings).toContainEqual({ model: 'write-model', orderId: changed, problem: 'the write model differs from the log in status (column)' });
    expect(findings).toContainEqual({ model: 'write-model', orderId: moreItems, problem: 'the write model differs from the log in order_items' });
    expect(findings).toContainEqual({ model: 'unverified', problem: NO_VERIFIER });
  });
});
