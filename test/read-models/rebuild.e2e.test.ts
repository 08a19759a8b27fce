import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { orderStatus } from '../../src/read-models/order-status/index.js';
import { findReadModel } from '../../src/read-models/registry.js';
import { rebuildInProgress } from '../../src/read-models/rebuild/start.js';
import { verifyReadModels } from '../../src/read-models/verify/run.js';
import type { RebuildProgress } from '../../workflows/rebuild-read-model.js';
import { call } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
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

const ORDER_STATUS = 'order-status';

async function placePaidOrder(): Promise<string> {
  const { orderId, totalCents } = await placeOrderFor(app.url);
  await authorize(app.url, orderId, totalCents);
  return orderId;
}

/** Every event claimed (a transaction open elsewhere on the server can delay claims) and applied. */
async function atHead(model: string): Promise<void> {
  await eventually(`${model} at the head`, async () => {
    const unclaimed = await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<string>().as('n')).where('log_position', 'is', null).executeTakeFirstOrThrow();
    return Number(unclaimed.n) === 0 && (await readModelFreshness(app.db, model)).lagEvents === 0;
  }, 120_000);
}

async function orderStatusFindings() {
  const run = await verifyReadModels({ db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix }, [orderStatus]);
  return run.results.find((r) => r.name === ORDER_STATUS)!.findings;
}

/** Reads one order over and over until stopped; every answer's status is kept. */
function keepReading(orderId: string) {
  const statuses: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) statuses.push((await call(app.url, 'GET', `/orders/${orderId}`)).status);
  })();
  return { statuses, stop: async () => { running = false; await done; } };
}

describe('rebuilding a PostgreSQL read model (POST /ops/read-models/{name}/rebuild)', () => {
  it('given a damaged order_summary, when rebuilt while orders keep coming, then reads never fail and the model matches the log', async () => {
    const known = await placePaidOrder();
    const others = [];
    for (let i = 0; i < 8; i++) others.push(await placePaidOrder());
    await atHead(ORDER_STATUS);
    await app.db.deleteFrom('order_summary').where('order_id', 'in', others.slice(0, 4)).execute();
    await app.db.updateTable('order_summary').set({ status: 'cancelled' }).where('order_id', '=', others[4]!).execute();
    expect((await orderStatusFindings()).length).toBeGreaterThanOrEqual(5);

    const reader = keepReading(known);
    const started = await call(app.url, 'POST', `/ops/read-models/${ORDER_STATUS}/rebuild`, { role: 'operator' });
    expect(started.status).toBe(202);
    const { workflowId } = started.body as { workflowId: string };
    expect(workflowId).toMatch(/^rebuild-[0-9a-f]+-order-status$/);

    // While it runs: its progress is a query, and a second start is refused naming it.
    const running = await rebuildInProgress(app.temporal, app.db, ORDER_STATUS);
    expect(running).toMatchObject({ workflowId, progress: { readModel: ORDER_STATUS } });
    const again = await call(app.url, 'POST', `/ops/read-models/${ORDER_STATUS}/rebuild`, { role: 'operator' });
    expectProblem(again, 409);
    expect(again.body).toMatchObject({ workflowId });

    // Orders keep coming until the rebuild is done: live batches overlap the replay and the swap.
    let finished = false;
    const outcome = app.temporal.workflow.getHandle(workflowId).result().finally(() => { finished = true; });
    const during = [];
    while ((!finished && during.length < 20) || during.length < 3) during.push(await placePaidOrder());
    const result = await outcome as RebuildProgress;
    await reader.stop();

    expect(result.phase).toBe('done');
    expect(result.runs, JSON.stringify(result)).toBeGreaterThan(1); // continued as new at least once
    expect(reader.statuses.length).toBeGreaterThan(0);
    expect(reader.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await rebuildInProgress(app.temporal, app.db, ORDER_STATUS)).toBeNull();

    await atHead(ORDER_STATUS);
    for (const orderId of [...others, ...during]) {
      const read = await call(app.url, 'GET', `/orders/${orderId}`);
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('authorized');
    }
    expect(await orderStatusFindings()).toEqual([]);
    const { rows: shadows } = await sql`select schema_name from information_schema.schemata where schema_name like 'rebuild\_%'`.execute(app.db);
    expect(shadows).toEqual([]);
  }, 180_000);

  it('given the other PostgreSQL models emptied, when each is rebuilt, then each matches the log again', async () => {
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await placePaidOrder());
    await call(app.url, 'POST', `/orders/${orders[0]}/notes`, { body: { text: 'called the customer' }, role: 'support' });
    await call(app.url, 'POST', `/orders/${orders[1]}/cancellation`, { body: { reason: 'changed my mind' }, role: 'client' });
    const models = { 'customer-history': 'customer_order_history', 'agent-timeline': 'agent_timeline', 'ops-dashboard': 'ops_dashboard_buckets' } as const;
    for (const [model, table] of Object.entries(models)) {
      await atHead(model);
      await sql`delete from ${sql.table(table)}`.execute(app.db);
      const started = await call(app.url, 'POST', `/ops/read-models/${model}/rebuild`, { role: 'operator' });
      expect(started.status).toBe(202);
      const result = await app.temporal.workflow.getHandle(started.body.workflowId).result() as RebuildProgress;
      expect(result).toMatchObject({ readModel: model, phase: 'done' });
      await atHead(model);
      const run = await verifyReadModels({ db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix }, [findReadModel(model)!]);
      expect(run.results.find((r) => r.name === model)!.findings).toEqual([]);
    }
  }, 240_000);

  it('refuses other roles and unknown models, with problem+json', async () => {
    expectProblem(await call(app.url, 'POST', `/ops/read-models/${ORDER_STATUS}/rebuild`, { role: 'client' }), 403);
    expectProblem(await call(app.url, 'POST', `/ops/read-models/${ORDER_STATUS}/rebuild`, { role: 'support' }), 403);
    expectProblem(await call(app.url, 'POST', `/ops/read-models/${ORDER_STATUS}/rebuild`, { role: null }), 401);
    const unknown = await call(app.url, 'POST', '/ops/read-models/no-such-model/rebuild', { role: 'operator' });
    expectProblem(unknown, 404);
    expect(unknown.body.type).toMatch(/read-model-not-found$/);
  });
});
