import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const note = (orderId: string, ifMatch: string) =>
  call(app.url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: 'checked' }, headers: { 'if-match': ifMatch } });

const product = (name: string, stock = 10) => ({ name, priceCents: 1_000, currency: 'USD', stock });
const putProduct = (sku: string, body: unknown, headers: Record<string, string> = {}) =>
  call(app.url, 'PUT', `/products/${sku}`, { role: 'operator', body, headers });
const newSku = () => `COND-${randomUUID().slice(0, 8).toUpperCase()}`;

async function storedProduct(sku: string) {
  return app.db.selectFrom('products').select(['name', 'stock', 'version']).where('sku', '=', sku).executeTakeFirst();
}

describe('If-Match on order commands', () => {
  it('refuses a weak tag with 412: If-Match compares strongly', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const response = await note(orderId, 'W/"1"');
    expectProblem(response, 412);
    expect(response.body).toMatchObject({ currentVersion: 1 });
  });

  it('applies the command when any member of a list matches, and only then', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const applied = await note(orderId, '"0", "1"');
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.headers.get('etag')).toBe('"2"');
    const stale = await note(orderId, '"1", W/"2", "abc"');
    expectProblem(stale, 412);
    expect(stale.body).toMatchObject({ currentVersion: 2, expectedVersions: [1] });
    expect((await note(orderId, '*')).status).toBe(200);
  });
});

describe('versions and If-Match on PUT /products/{sku}', () => {
  it('starts a product at version 1 and moves its ETag on every change', async () => {
    const sku = newSku();
    const created = await putProduct(sku, product('Lamp'));
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ version: 1 });
    const replaced = await putProduct(sku, product('Lamp, blue'), { 'if-match': created.headers.get('etag')! });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(replaced.body).toMatchObject({ name: 'Lamp, blue', version: 2 });
  });

  it('refuses a stale If-Match with 412 and leaves the product as it was', async () => {
    const sku = newSku();
    await putProduct(sku, product('Mug'));
    await putProduct(sku, product('Mug v2'));
    const stale = await putProduct(sku, product('Mug from v1'), { 'if-match': '"1"' });
    expectProblem(stale, 412);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    expect(await storedProduct(sku)).toEqual({ name: 'Mug v2', stock: 10, version: 2 });
    expectProblem(await putProduct(sku, product('weak'), { 'if-match': 'W/"2"' }), 412);
    expect((await putProduct(sku, product('Mug v3'), { 'if-match': '"7", "2"' })).status).toBe(200);
  });

  it('counts stock taken by an order as a change, so an operator cannot overwrite it from an old read', async () => {
    const sku = newSku();
    const created = await putProduct(sku, product('Last lamps', 5));
    const placed = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku, quantity: 2 }]) });
    expect(placed.status).toBe(201);
    const overwrite = await putProduct(sku, product('Last lamps', 5), { 'if-match': created.headers.get('etag')! });
    expectProblem(overwrite, 412);
    expect(await storedProduct(sku)).toMatchObject({ stock: 3, version: 2 });
  });

  it('lets exactly one of many concurrent writers with the same If-Match win', async () => {
    const sku = newSku();
    await putProduct(sku, product('Contended'));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => putProduct(sku, product(`writer ${i}`), { 'if-match': '"1"' })),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(7);
    expect(await storedProduct(sku)).toMatchObject({ name: winners[0]!.body.name, version: 2 });
  });

  it('answers If-Match on a product that does not exist with 412 and creates nothing', async () => {
    const sku = newSku();
    for (const ifMatch of ['*', '"1"']) {
      expectProblem(await putProduct(sku, product('Ghost'), { 'if-match': ifMatch }), 412);
    }
    expect(await storedProduct(sku)).toBeUndefined();
  });

  it('treats If-None-Match: * as create-only', async () => {
    const sku = newSku();
    const created = await putProduct(sku, product('Only once'), { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    const again = await putProduct(sku, product('Twice'), { 'if-none-match': '*' });
    expectProblem(again, 412);
    expect(await storedProduct(sku)).toMatchObject({ name: 'Only once', version: 1 });
  });
});

describe('If-None-Match on GET /orders/{id}', () => {
  it('answers 304 with the ETag and no body when a tag matches weakly, 200 otherwise', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const first = await eventually('order projected', async () => {
      const r = await call(app.url, 'GET', `/orders/${orderId}`);
      return r.status === 200 ? r : undefined;
    });
    expect(first.headers.get('etag')).toBe('"1"');
    for (const ifNoneMatch of ['"1"', 'W/"1"', '"7", "1"', '*']) {
      const cached = await call(app.url, 'GET', `/orders/${orderId}`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(cached.status, ifNoneMatch).toBe(304);
      expect(cached.headers.get('etag')).toBe('"1"');
      expect(cached.body).toBe('');
    }
    const changed = await call(app.url, 'GET', `/orders/${orderId}`, { headers: { 'if-none-match': '"2"' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ orderId, freshness: { sourceVersion: 1 } });
  });
});
