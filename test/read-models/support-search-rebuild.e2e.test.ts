import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { supportSearch } from '../../src/read-models/support-search/index.js';
import { indicesBehind, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { foldLog } from '../../src/read-models/verify/fold.js';
import { verifyReadModels } from '../../src/read-models/verify/run.js';
import type { RebuildProgress } from '../../workflows/rebuild-read-model.js';
import { call } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  // Tiny chunks and runs, so that a few dozen events take many replay steps and several runs.
  app = await startTestRuntime({ rebuild: { chunkSize: 2, chunksPerRun: 3 } });
});
afterAll(async () => {
  await app?.stop();
});

const SUPPORT_SEARCH = 'support-search';

async function placePaidOrder(): Promise<string> {
  const { orderId, totalCents } = await placeOrderFor(app.url);
  await authorize(app.url, orderId, totalCents);
  return orderId;
}

/** Every event claimed and applied to support search. */
async function atHead(): Promise<void> {
  await eventually('support search at the head', async () => {
    const unclaimed = await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<string>().as('n')).where('log_position', 'is', null).executeTakeFirstOrThrow();
    return Number(unclaimed.n) === 0 && (await readModelFreshness(app.db, SUPPORT_SEARCH)).lagEvents === 0;
  }, 120_000);
}

async function findings() {
  const run = await verifyReadModels({ db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix }, [supportSearch]);
  return run.results.find((r) => r.name === SUPPORT_SEARCH)!.findings;
}

const alias = () => supportSearchIndexNames(app.searchIndexPrefix).alias;

async function customerOf(orderId: string): Promise<string> {
  return (await app.db.selectFrom('orders').select('customer_id').where('id', '=', orderId).executeTakeFirstOrThrow()).customer_id;
}

/** The orders support search finds for a customer, with their versions. */
async function searchCustomer(customerId: string) {
  const response = await call(app.url, 'GET', `/support/search?customerId=${encodeURIComponent(customerId)}`, { role: 'support' });
  const results = (response.body?.results ?? []) as Array<{ orderId: string; freshness: { sourceVersion: number } }>;
  return { status: response.status, results };
}

/** Searches one order's customer over and over until stopped; every answer is kept. */
function keepSearching(orderId: string, customerId: string) {
  const answers: Array<{ status: number; found: boolean }> = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const { status, results } = await searchCustomer(customerId);
      answers.push({ status, found: results.some((r) => r.orderId === orderId) });
    }
  })();
  return { answers, stop: async () => { running = false; await done; } };
}

async function startRebuild(): Promise<string> {
  const started = await call(app.url, 'POST', `/ops/read-models/${SUPPORT_SEARCH}/rebuild`, { role: 'operator' });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return (started.body as { workflowId: string }).workflowId;
}

async function supportSearchStatus() {
  const status = await call(app.url, 'GET', '/ops/read-models', { role: 'operator' });
  return (status.body.readModels as Array<{ name: string; rebuild: unknown; lagEvents: number; failedBatches: unknown[] | null }>).find((m) => m.name === SUPPORT_SEARCH)!;
}

async function expectNoShadowLeft(): Promise<void> {
  const { rows } = await sql`select schema_name from information_schema.schemata where schema_name like 'rebuild\_%'`.execute(app.db);
  expect(rows).toEqual([]);
  expect(await indicesBehind(app.search, `${app.searchIndexPrefix}-rebuild-support`)).toEqual([]);
  const indices = Object.keys((await app.search.indices.get({ index: `${app.searchIndexPrefix}-*` })).body);
  expect(indices).toEqual(await indicesBehind(app.search, alias()));
}

describe('rebuilding support search (POST /ops/read-models/support-search/rebuild)', () => {
  it('given documents deleted, when rebuilt while orders keep coming, then searches always find a known order and the index matches the log', async () => {
    const known = await placePaidOrder();
    const knownCustomer = await customerOf(known);
    const others = [];
    for (let i = 0; i < 8; i++) others.push(await placePaidOrder());
    await atHead();
    await eventually('the known order is searchable', async () => (await searchCustomer(knownCustomer)).results.length === 1);
    const [before] = await indicesBehind(app.search, alias());
    for (const orderId of others.slice(0, 4)) await app.search.delete({ index: alias(), id: orderId, refresh: true });
    expect((await findings()).length).toBeGreaterThanOrEqual(4);

    const reader = keepSearching(known, knownCustomer);
    const workflowId = await startRebuild();
    expect(workflowId).toMatch(/^rebuild-[0-9a-f]+-support-search$/);
    // GET /ops/read-models shows it in progress, like a PostgreSQL model's.
    expect(await supportSearchStatus()).toMatchObject({ rebuild: { workflowId, progress: { readModel: SUPPORT_SEARCH } } });

    let finished = false;
    const outcome = app.temporal.workflow.getHandle(workflowId).result().finally(() => { finished = true; });
    const during = [];
    while ((!finished && during.length < 20) || during.length < 3) during.push(await placePaidOrder());
    const result = await outcome as RebuildProgress;
    await reader.stop();

    expect(result.phase).toBe('done');
    expect(result.runs, JSON.stringify(result)).toBeGreaterThan(1); // continued as new at least once
    expect(reader.answers.length).toBeGreaterThan(0);
    expect(reader.answers.filter((a) => a.status !== 200 || !a.found)).toEqual([]);
    await atHead();
    expect(await findings()).toEqual([]);
    const after = await indicesBehind(app.search, alias());
    expect(after).toEqual([`${supportSearchIndexNames(app.searchIndexPrefix).index}-r1`]);
    expect(after).not.toContain(before);
    for (const orderId of [...others, ...during]) expect((await searchCustomer(await customerOf(orderId))).results.map((r) => r.orderId)).toEqual([orderId]);
    expect((await supportSearchStatus()).rebuild).toBeNull();
    await expectNoShadowLeft();
    // A process starting later keeps the rebuilt index behind the alias.
    await supportSearch.ensureStorage!({ db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix });
    expect(await indicesBehind(app.search, alias())).toEqual(after);
    expect(await findings()).toEqual([]);
  }, 240_000);

  it('given its index deleted, when an order is placed and support search is rebuilt, then every order is back at its version and the new one is searchable', async () => {
    await atHead();
    const [live] = await indicesBehind(app.search, alias());
    await app.search.indices.delete({ index: live! });
    const orderId = await placePaidOrder();
    // Its batch fails for support search (the alias is gone) and is listed as failed.
    await eventually('a failed support-search batch', async () => ((await supportSearchStatus()).failedBatches ?? []).length > 0, 60_000);
    expect((await app.search.indices.exists({ index: alias() })).body).toBe(false);

    const result = await app.temporal.workflow.getHandle(await startRebuild()).result() as RebuildProgress;

    expect(result.phase).toBe('done');
    await atHead();
    expect(await findings()).toEqual([]);
    const fold = await foldLog(app.db);
    await app.search.indices.refresh({ index: alias() });
    const { body: count } = await app.search.count({ index: alias() });
    expect(count.count).toBe(fold.orders.size);
    const found = await searchCustomer(await customerOf(orderId));
    expect(found.results).toEqual([expect.objectContaining({ orderId, freshness: expect.objectContaining({ sourceVersion: fold.orders.get(orderId)!.version }) })]);
    const status = await supportSearchStatus();
    expect(status.lagEvents).toBe(0);
    // The rebuild replayed the failed batch's events: the batch is moot and no longer listed.
    expect(status.failedBatches).toEqual([]);
    await expectNoShadowLeft();
  }, 240_000);
});
