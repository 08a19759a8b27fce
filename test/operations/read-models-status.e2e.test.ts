import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { temporalViewOf } from '../../src/read-models/status/failed-batches.js';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { call } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, testTokenGrants, TOKENS, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

interface Status {
  name: string;
  position: number;
  lagEvents: number;
  lagMs: number;
  applied: number;
  retries: number;
  heldOrders: { count: number; orders: Array<{ orderId: string; stoppedAtVersion: number; reason: string; since: string }> };
  failedBatches: Array<{ workflowId: string; uiUrl: string }> | null;
  lastError: { reason: string; at: string } | null;
  rebuild: unknown;
}

async function statuses(): Promise<{ readModels: Status[]; temporal: string }> {
  const response = await call(app.url, 'GET', '/ops/read-models', { role: 'operator' });
  expect(response.status).toBe(200);
  return response.body;
}

async function statusOf(name: string): Promise<Status> {
  return (await statuses()).readModels.find((m) => m.name === name)!;
}

async function eventCount(): Promise<number> {
  return (await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
}

describe('GET /ops/read-models on a healthy pipeline', () => {
  it('lists every registered read model, caught up, with what it applied', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    expect((await authorize(app.url, orderId, totalCents)).status).toBeLessThan(300);
    const events = await eventCount();

    const body = await eventually('every read model caught up', async () => {
      const answer = await statuses();
      // The counters follow the checkpoint by a statement or two, so both are awaited.
      return answer.readModels.every((m) => m.lagEvents === 0 && m.position === events && m.applied >= events) ? answer : undefined;
    }, 30_000).catch(async (error) => {
      throw new Error(`${String(error)}: ${JSON.stringify((await statuses()).readModels.map((m) => [m.name, m.position, m.applied]))}`);
    });

    expect(body.temporal).toBe('reachable');
    expect(body.readModels.map((m) => m.name).sort()).toEqual([...readModelNames()].sort());
    for (const model of body.readModels) {
      expect(model).toMatchObject({ lagMs: 0, retries: 0, heldOrders: { count: 0, orders: [] }, failedBatches: [], lastError: null, rebuild: null });
      expect(model.applied).toBe(events); // each event counted once per model, whichever models handle it
    }
  });

  it('is for operators only, and refuses unknown parameters', async () => {
    for (const token of [TOKENS.support, TOKENS.client, BOUND_CLIENT.token]) {
      expectProblem(await call(app.url, 'GET', '/ops/read-models', { token }), 403);
    }
    const unknown = await call(app.url, 'GET', '/ops/read-models?model=order-status', { role: 'operator' });
    expectProblem(unknown, 400);
    expect(JSON.stringify(unknown.body)).toContain('model');
  });
});

describe('GET /ops/read-models while a store is unavailable', () => {
  it('answers with the retries and the error, without touching the closed store', async () => {
    const { index } = supportSearchIndexNames(app.searchIndexPrefix);
    await app.search.indices.close({ index });
    try {
      await placeOrderFor(app.url);
      const retrying = await eventually('support-search retrying', async () => {
        const status = await statusOf('support-search');
        return status.retries > 0 && status.lastError ? status : undefined;
      }, 30_000);
      expect(retrying.lastError!.reason).toContain('index_closed_exception');
      expect(retrying.lagEvents).toBeGreaterThan(0);
      expect((await statusOf('order-status')).retries).toBe(0);
    } finally {
      await app.search.indices.open({ index });
    }
    const events = await eventCount();
    await eventually('support-search caught up', async () => (await statusOf('support-search')).position === events, 90_000);
  });
});

describe('GET /ops/read-models after a batch fails for good', () => {
  it('shows the held order, the failed batch with its link, and the constraint as last error', async () => {
    await sql`alter table order_summary add constraint refuse_status_test check (not (${sql.lit('refused-by-status-test')} = any(risk_flags)))`.execute(app.db);
    const { orderId } = await placeOrderFor(app.url);
    const flagged = await call(app.url, 'POST', `/orders/${orderId}/risk-flags`, { role: 'support', body: { flag: 'refused-by-status-test', reason: 'test' } });
    expect(flagged.status).toBeLessThan(300);

    const status = await eventually('order-status showing the failed batch', async () => {
      const current = await statusOf('order-status');
      return current.heldOrders.count > 0 && (current.failedBatches?.length ?? 0) > 0 ? current : undefined;
    }, 60_000);

    expect(status.heldOrders).toMatchObject({ count: 1, orders: [{ orderId, stoppedAtVersion: 2, reason: expect.stringContaining('constraint refuse_status_test') }] });
    expect(status.lastError!.reason).toContain('constraint refuse_status_test');
    const failed = app.temporal.workflow.list({ query: `TaskQueue = '${app.config.taskQueue}' AND ExecutionStatus = 'Failed'` });
    const workflows = [];
    for await (const workflow of failed) workflows.push(workflow);
    expect(status.failedBatches).toEqual(workflows.map((w) => ({
      workflowId: w.workflowId,
      uiUrl: `${app.config.temporalUiUrl}/namespaces/${app.config.temporalNamespace}/workflows/${w.workflowId}/${w.runId}/history`,
    })));
    // Other read models applied the same event: the failed batch is not theirs.
    expect((await statusOf('support-search')).failedBatches).toEqual([]);
  });
});

describe('GET /ops/read-models while Temporal is unreachable', () => {
  it('answers from PostgreSQL, failed batches unknown', async () => {
    const nowhere = temporalViewOf('127.0.0.1:1', { namespace: 'default', taskQueue: app.config.taskQueue, uiUrl: 'http://127.0.0.1:8233' });
    const api = buildApp({
      db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix, apiTokens: testTokenGrants(), idempotencyRetentionMs: 60_000, logger: false,
      temporal: nowhere.view,
    });
    try {
      const response = await api.inject({ method: 'GET', url: '/ops/read-models', headers: { authorization: `Bearer ${TOKENS.operator}` } });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.temporal).toBe('unreachable');
      expect(body.readModels.map((m: Status) => m.name).sort()).toEqual([...readModelNames()].sort());
      for (const model of body.readModels) expect(model).toMatchObject({ failedBatches: null, position: expect.any(Number) });
    } finally {
      await api.close();
      await nowhere.close();
    }
  });
});
