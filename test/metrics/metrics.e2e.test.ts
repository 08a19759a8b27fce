import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { readModelNames, readModels } from '../../src/read-models/registry.js';
import { orderBody, createProduct } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { expectProblem } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { TOKENS, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';
import { parseExposition, sampleValue } from './exposition.js';

const ORDERS = 3;
let app: TestRuntime;
let bodies: Array<ReturnType<typeof orderBody>>;
let orderIds: string[];
let eventCount: number;

const scrape = async () => {
  const response = await call(app.url, 'GET', '/metrics', { role: 'operator' });
  expect(response.status).toBe(200);
  return { text: response.body as string, samples: parseExposition(response.body as string), headers: response.headers };
};

async function placeOrders(): Promise<void> {
  const sku = await createProduct(app.url, { stock: 100 });
  bodies = Array.from({ length: ORDERS }, () => orderBody([{ sku }]));
  orderIds = [];
  for (const body of bodies) {
    const placed = await call(app.url, 'POST', '/orders', { body });
    expect(placed.status).toBe(201);
    orderIds.push(placed.body.orderId);
  }
}

/** Every read model's checkpoint at the head of the log: all events projected. */
async function waitForProjections(): Promise<void> {
  eventCount = Number((await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  for (const name of readModelNames()) {
    await eventually(`${name} at the head`, async () => (await readModelFreshness(app.db, name)).position === eventCount);
  }
}

beforeAll(async () => {
  app = await startTestRuntime();
  await placeOrders();
  await waitForProjections();
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /metrics', () => {
  it('answers operators in the Prometheus text format', async () => {
    const { headers, samples } = await scrape();
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('refuses support and client tokens with 403, and callers without a token with 401', async () => {
    expectProblem(await call(app.url, 'GET', '/metrics', { role: 'support' }), 403);
    expectProblem(await call(app.url, 'GET', '/metrics', { role: 'client' }), 403);
    expectProblem(await call(app.url, 'GET', '/metrics', { role: null }), 401);
  });

  it('times commands per route pattern', async () => {
    const { samples } = await scrape();
    const placed = { method: 'POST', route: '/orders', status_class: '2xx' };
    expect(sampleValue(samples, 'cqrs_orders_http_request_duration_seconds_count', placed)).toBeGreaterThanOrEqual(ORDERS);
    expect(sampleValue(samples, 'cqrs_orders_http_request_duration_seconds_bucket', { ...placed, le: '+Inf' })).toBeGreaterThanOrEqual(ORDERS);
    expect(sampleValue(samples, 'cqrs_orders_http_request_duration_seconds_count', { method: 'PUT', route: '/products/{sku}', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
  });

  it('counts the batches the relay claimed, their events and the workflows it started', async () => {
    const { samples } = await scrape();
    expect(sampleValue(samples, 'cqrs_orders_relay_batch_events_sum')).toBe(eventCount);
    const batches = sampleValue(samples, 'cqrs_orders_relay_batch_events_count')!;
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'cqrs_orders_relay_workflow_starts_total')).toBe(batches);
    expect(sampleValue(samples, 'cqrs_orders_outbox_unclaimed_events')).toBe(0);
    expect(sampleValue(samples, 'cqrs_orders_outbox_open_batches')).toBeGreaterThanOrEqual(0);
  });

  it('shows, per read model, events applied, commit-to-visible times and a lag of zero once caught up', async () => {
    const { samples } = await scrape();
    for (const read_model of readModelNames()) {
      const applied = sampleValue(samples, 'cqrs_orders_read_model_events_total', { read_model, outcome: 'applied' }) ?? 0;
      const skipped = sampleValue(samples, 'cqrs_orders_read_model_events_total', { read_model, outcome: 'skipped' }) ?? 0;
      expect(applied, read_model).toBeGreaterThan(0);
      expect(applied + skipped, read_model).toBeGreaterThanOrEqual(eventCount);
      expect(sampleValue(samples, 'cqrs_orders_read_model_commit_to_visible_seconds_bucket', { read_model, le: '+Inf' }), read_model).toBeGreaterThanOrEqual(eventCount);
      expect(sampleValue(samples, 'cqrs_orders_read_model_commit_to_visible_seconds_sum', { read_model }), read_model).toBeGreaterThan(0);
      expect(sampleValue(samples, 'cqrs_orders_read_model_lag_events', { read_model }), read_model).toBe(0);
      expect(sampleValue(samples, 'cqrs_orders_read_model_lag_seconds', { read_model }), read_model).toBe(0);
    }
  });

  it('counts projection attempts that failed and attempts that were retries', async () => {
    const deps = { db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix };
    const activities = createReadModelActivities(deps, readModels);
    const readModel = readModelNames()[0]!;
    const before = parseExposition((await scrape()).text);
    const retry = new MockActivityEnvironment({ attempt: 2 });
    await expect(retry.run(activities.applyReadModel, { readModel, eventIds: [randomUUID()] })).rejects.toThrow(/not in the outbox/);

    const { samples } = await scrape();
    const delta = (name: string) => (sampleValue(samples, name, { read_model: readModel }) ?? 0) - (sampleValue(before, name, { read_model: readModel }) ?? 0);
    expect(delta('cqrs_orders_read_model_failures_total')).toBe(1);
    expect(delta('cqrs_orders_read_model_retries_total')).toBe(1);
  });

  it('holds no personal data, token or URL: only route patterns', async () => {
    const customer = bodies[0]!.customer;
    await call(app.url, 'GET', `/orders/${encodeURIComponent(customer.email)}`);
    await call(app.url, 'GET', `/support/search?email=${encodeURIComponent(customer.email)}`, { role: 'support' });
    await call(app.url, 'GET', `/no-such-page/${encodeURIComponent(customer.name)}`);
    const { text, samples } = await scrape();
    const secrets = [...bodies.flatMap((b) => [b.customer.email, b.customer.phone, b.customer.name, b.customerId]), ...orderIds, ...Object.values(TOKENS)];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('example.com');
    const routes = new Set(samples.filter((s) => s.name.startsWith('cqrs_orders_http_')).map((s) => s.labels.route));
    expect([...routes].filter((route) => route !== 'unmatched' && !route!.startsWith('/'))).toEqual([]);
    expect(routes).toContain('/orders/{id}');
    expect(routes).toContain('unmatched');
  });

  it('is described in the API description as an operator route', async () => {
    const doc = (await call(app.url, 'GET', '/openapi.json', { role: null })).body;
    const operation = doc.paths['/metrics']?.get;
    expect(operation?.['x-roles']).toEqual(['operator']);
    expect(Object.keys(operation?.responses['200'].content ?? {})).toEqual(['text/plain; version=0.0.4']);
  });
});
