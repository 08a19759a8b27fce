import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../../support/fixtures.js';
import { call, type HttpResult } from '../../support/http.js';
import { authorize, expectProblem } from '../../support/orders.js';
import { eventually } from '../../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const asOperator = (path: string) => call(app.url, 'GET', path, { role: 'operator' });
/** A region no other test uses, so the counts seen are this test's own. */
const freshRegion = () => `r-${randomUUID().slice(0, 8)}`;

async function placeIn(region: string): Promise<{ orderId: string; totalCents: number }> {
  const sku = await createProduct(app.url, { priceCents: 2_000 });
  const placed = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }], { region }) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body;
}

function sums(minutes: Array<Record<string, number | string>>) {
  const total = { placed: 0, paid: 0, shipped: 0, cancelled: 0, refunded: 0 };
  for (const m of minutes) for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += m[k] as number;
  return total;
}

const checkpoint = { position: expect.any(Number), lagEvents: expect.any(Number), lagMs: expect.any(Number) };

describe('GET /ops/dashboard', () => {
  it('counts orders by status, region and provider, and placed and paid orders per minute', async () => {
    const region = freshRegion();
    const paid = await placeIn(region);
    await placeIn(region);
    expect((await authorize(app.url, paid.orderId, paid.totalCents)).status).toBe(200);

    // Concurrent batches may land in any order: wait until all three events are in.
    const dashboard = await eventually('both orders counted', async () => {
      const r = await asOperator(`/ops/dashboard?region=${region}`);
      const minutes = r.status === 200 ? sums(r.body.perMinute) : undefined;
      return r.body.byStatus?.length === 2 && minutes?.paid === 1 && minutes.placed === 2 ? r : undefined;
    });
    const otherProvider = await asOperator(`/ops/dashboard?region=${region}&paymentProvider=adyen`);

    expect(dashboard.body.byStatus).toEqual([
      { status: 'placed', region, paymentProvider: 'stripe', count: 1 },
      { status: 'authorized', region, paymentProvider: 'stripe', count: 1 },
    ]);
    expect(sums(dashboard.body.perMinute)).toEqual({ placed: 2, paid: 1, shipped: 0, cancelled: 0, refunded: 0 });
    expect(dashboard.body.perMinute[0].minute).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    expect(dashboard.body.freshness).toEqual(checkpoint);
    expect(otherProvider.body).toMatchObject({ byStatus: [], perMinute: [] });
    expect(dashboard.headers.get('cache-control')).toBe('no-store');
  });

  it('counts only the minutes starting in [from, to)', async () => {
    const region = freshRegion();
    await placeIn(region);
    await eventually('order counted', async () => (await asOperator(`/ops/dashboard?region=${region}`)).body.byStatus?.length === 1);
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();

    const past = await asOperator(`/ops/dashboard?region=${region}&from=${iso(now - 7 * 86_400_000)}&to=${iso(now - 3_600_000)}`);
    const around = await asOperator(`/ops/dashboard?region=${region}&from=${iso(now - 120_000)}&to=${iso(now + 60_000)}`);

    expect(past.body.perMinute).toEqual([]);
    expect(past.body.byStatus).toEqual([{ status: 'placed', region, paymentProvider: 'stripe', count: 1 }]);
    expect(sums(around.body.perMinute)).toMatchObject({ placed: 1 });
  });
});

describe('GET /ops/stuck-orders', () => {
  it('lists an order that waits longer than olderThan, and drops it once it moves on', async () => {
    const region = freshRegion();
    const { orderId, totalCents } = await placeIn(region);
    const stuck = (predicate: (r: HttpResult) => boolean) => eventually('stuck orders as expected', async () => {
      const r = await asOperator(`/ops/stuck-orders?olderThan=1s&region=${region}`);
      return r.status === 200 && predicate(r) ? r : undefined;
    });

    const unpaid = await stuck((r) => r.body.groups.length === 1);
    await authorize(app.url, orderId, totalCents);
    const unshipped = await stuck((r) => r.body.groups[0]?.status === 'authorized');
    await call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body: { reason: 'too slow' } });
    const gone = await stuck((r) => r.body.groups.length === 0);

    expect(unpaid.body).toEqual({ groups: [{ region, paymentProvider: 'stripe', status: 'placed', count: 1, orderIds: [orderId] }], freshness: checkpoint });
    expect(unshipped.body.groups).toEqual([{ region, paymentProvider: 'stripe', status: 'authorized', count: 1, orderIds: [orderId] }]);
    expect(gone.body.groups).toEqual([]);
  });

  it('does not list an order younger than olderThan (15 minutes by default)', async () => {
    const region = freshRegion();
    await placeIn(region);
    await eventually('order counted', async () => (await asOperator(`/ops/dashboard?region=${region}`)).body.byStatus?.length === 1);

    expect((await asOperator(`/ops/stuck-orders?region=${region}`)).body.groups).toEqual([]);
    expect((await asOperator(`/ops/stuck-orders?olderThan=2h&region=${region}`)).body.groups).toEqual([]);
  });
});

describe('who may read the dashboard', () => {
  it.each(['/ops/dashboard', '/ops/stuck-orders'])('%s is for operators: support and clients get 403, no token 401', async (path) => {
    for (const role of ['support', 'client'] as const) expectProblem(await call(app.url, 'GET', path, { role }), 403);
    expectProblem(await call(app.url, 'GET', path, { token: BOUND_CLIENT.token }), 403);
    expectProblem(await call(app.url, 'GET', path, { role: null }), 401);
    expect((await asOperator(path)).status).toBe(200);
  });
});

describe('bad dashboard input', () => {
  const soon = new Date(Date.now() + 3_600_000).toISOString();
  it.each([
    ['/ops/stuck-orders?olderThan=15', 'olderThan'],
    ['/ops/stuck-orders?olderThan=0s', 'olderThan'],
    ['/ops/stuck-orders?olderThan=1.5h', 'olderThan'],
    ['/ops/stuck-orders?olderThan=721h', 'olderThan'],
    ['/ops/stuck-orders?olderThan=2d', 'olderThan'],
    ['/ops/stuck-orders?region=%20', 'region'],
    ['/ops/stuck-orders?limit=5', 'limit'],
    ['/ops/dashboard?from=yesterday', 'from'],
    ['/ops/dashboard?from=2026-11-28T10:00:00', 'from'],
    ['/ops/dashboard?to=2026-13-01T00:00:00Z', 'to'],
    ['/ops/dashboard?from=2026-11-28T10:00:00Z&to=2026-11-28T10:00:00Z', 'from'],
    ['/ops/dashboard?from=2026-11-28T11:00:00Z&to=2026-11-28T10:00:00Z', 'from'],
    ['/ops/dashboard?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:01Z', 'from'],
    [`/ops/dashboard?from=${soon}`, 'from'],
    ['/ops/dashboard?paymentProvider=', 'paymentProvider'],
    ['/ops/dashboard?status=placed', 'status'],
  ])('%s gets 400 naming %s', async (path, field) => {
    const response = await asOperator(path);

    expectProblem(response, 400);
    expect(response.body.errors[0].field).toBe(field);
    expect(response.body.detail).toMatch(new RegExp(`^${field}: `));
  });

  it('accepts exactly 7 days, and a time zone offset', async () => {
    expect((await asOperator('/ops/dashboard?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z')).status).toBe(200);
    expect((await asOperator('/ops/dashboard?from=2026-11-01T00:00:00%2B01:00&to=2026-11-01T12:00:00Z')).status).toBe(200);
    expect((await asOperator('/ops/stuck-orders?olderThan=720h')).status).toBe(200);
  });
});
