import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPE_BASE } from '../../src/http/problem.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult, type RequestOptions } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterEach(async () => {
  await app.startRelay();
});
afterAll(async () => {
  await app?.stop();
});

const read = (orderId: string, query = '', options: RequestOptions = {}) => call(app.url, 'GET', `/orders/${orderId}${query}`, options);

async function timed(request: Promise<HttpResult>): Promise<HttpResult & { ms: number }> {
  const started = performance.now();
  const response = await request;
  return { ...response, ms: performance.now() - started };
}

async function projectedAt(orderId: string, version: number): Promise<void> {
  await eventually(`order at version ${version}`, async () => {
    const response = await read(orderId);
    return response.status === 200 && response.body.freshness.sourceVersion >= version;
  });
}

/** Everything a caller can observe of a 404, with the asked id made generic and without the traceId. */
function observable404(response: HttpResult, orderId: string) {
  const { traceId: _perRequest, ...body } = response.body;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: JSON.stringify(body).replaceAll(orderId, '<id>') };
}

describe('GET /orders/{id} with minVersion and waitMs', () => {
  it('waits for the projection of a just-placed order instead of answering 404', async () => {
    await app.stopRelay();
    const { orderId } = await placeOrderFor(app.url);
    const waiting = timed(read(orderId, '?minVersion=1&waitMs=5000'));
    // Nothing is projected while the relay is stopped: a 200 can only come after it starts.
    expect(await app.db.selectFrom('order_summary').select('order_id').where('order_id', '=', orderId).executeTakeFirst()).toBeUndefined();
    await app.startRelay();
    const response = await waiting;
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.freshness.sourceVersion).toBeGreaterThanOrEqual(1);
    expect(response.body.freshness).not.toHaveProperty('stale');
    expect(response.ms).toBeLessThan(5_000);
  });

  it('waits for a later version, and answers at once when the version is already there', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    await projectedAt(orderId, 1);
    await app.stopRelay();
    expect((await authorize(app.url, orderId, totalCents)).status).toBe(200);
    const waiting = read(orderId, '?minVersion=2&waitMs=5000');
    await app.startRelay();
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ paymentState: 'authorized', freshness: { sourceVersion: 2 } });
    expect(response.body.freshness).not.toHaveProperty('stale');
    const again = await timed(read(orderId, '?minVersion=1&waitMs=5000'));
    expect(again.body.freshness.sourceVersion).toBe(2);
    expect(again.ms).toBeLessThan(2_500);
  });

  it('answers what it has with stale: true once waitMs has passed, never the asked version', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    await projectedAt(orderId, 1);
    await app.stopRelay();
    await authorize(app.url, orderId, totalCents);
    const response = await timed(read(orderId, '?minVersion=2&waitMs=300', { role: 'support' }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ paymentState: 'pending', freshness: { sourceVersion: 1, stale: true } });
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.ms).toBeGreaterThanOrEqual(300);
    expect(response.ms).toBeLessThan(1_500);
  });

  it('answers 404 not-yet-visible with Retry-After for an order the write side knows, after the wait', async () => {
    await app.stopRelay();
    const { orderId } = await placeOrderFor(app.url);
    const response = await timed(read(orderId, '?waitMs=300', { role: 'operator' }));
    expectProblem(response, 404);
    expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE}not-yet-visible`);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.ms).toBeGreaterThanOrEqual(300);
    expect(response.ms).toBeLessThan(1_500);
    const atOnce = await read(orderId);
    expect(atOnce.body.type).toBe(`${PROBLEM_TYPE_BASE}not-yet-visible`);
  });

  it('answers a plain 404 without Retry-After for an order unknown everywhere', async () => {
    const unknown = randomUUID();
    const response = await timed(read(unknown, '?minVersion=1&waitMs=200'));
    expectProblem(response, 404);
    expect(response.body.type).toBe(`${PROBLEM_TYPE_BASE}order-not-found`);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.ms).toBeGreaterThanOrEqual(200);
  });
});

describe('a customer-bound token waiting on an order', () => {
  it('gets the plain 404 of an unknown id for another customer\'s order that exists on the write side', async () => {
    await app.stopRelay();
    const { orderId } = await placeOrderFor(app.url);
    const unknown = randomUUID();
    const [theirs, nobodys] = await Promise.all([
      timed(read(orderId, '?waitMs=200', { token: BOUND_CLIENT.token })),
      timed(read(unknown, '?waitMs=200', { token: BOUND_CLIENT.token })),
    ]);
    expectProblem(theirs, 404);
    // Both waited the whole waitMs for a row the token may see, and neither asked the write side.
    expect(Math.min(theirs.ms, nobodys.ms)).toBeGreaterThanOrEqual(200);
    expect(observable404(theirs, orderId)).toEqual(observable404(nobodys, unknown));
    expect(theirs.body.type).toBe(`${PROBLEM_TYPE_BASE}order-not-found`);
  });

  it('gets the plain 404 for its own order not yet projected, and the order once it is', async () => {
    const sku = await createProduct(app.url);
    await app.stopRelay();
    const placed = await call(app.url, 'POST', '/orders', { token: BOUND_CLIENT.token, body: orderBody([{ sku }], { customerId: BOUND_CLIENT.customerId }) });
    const orderId = placed.body.orderId as string;
    const unknown = randomUUID();
    const early = await read(orderId, '', { token: BOUND_CLIENT.token });
    expect(observable404(early, orderId)).toEqual(observable404(await read(unknown, '', { token: BOUND_CLIENT.token }), unknown));
    const waiting = read(orderId, '?minVersion=1&waitMs=5000', { token: BOUND_CLIENT.token });
    await app.startRelay();
    expect((await waiting).body).toMatchObject({ orderId, freshness: { sourceVersion: 1 } });
  });
});

describe('bad minVersion and waitMs', () => {
  const cases: Array<[string, string]> = [
    ['waitMs=5001', 'waitMs'],
    ['waitMs=-1', 'waitMs'],
    ['waitMs=1.5', 'waitMs'],
    ['waitMs=abc', 'waitMs'],
    ['waitMs=', 'waitMs'],
    ['waitMs=100&waitMs=200', 'waitMs'],
    ['minVersion=0', 'minVersion'],
    ['minVersion=2147483648', 'minVersion'],
    ['minVersion=1e3', 'minVersion'],
    ['minVersion=1&wait=100', 'wait'],
  ];
  it.each(cases)('refuses ?%s with a 400 naming the parameter, without waiting', async (query, field) => {
    const response = await timed(read(randomUUID(), `?${query}`));
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(response.ms).toBeLessThan(1_000);
  });
});
