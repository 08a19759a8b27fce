import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
let sku: string;
beforeAll(async () => {
  app = await startTestRuntime();
  sku = await createProduct(app.url, { stock: 1_000 });
});
afterAll(async () => {
  await app?.stop();
});

function expectClearProblem(response: HttpResult, status: number, mentions?: RegExp): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  const text = JSON.stringify(response.body);
  expect(text).not.toMatch(/at .*\.(ts|js):\d+|stack|select |insert |SQLSTATE/i);
  if (mentions) expect(text).toMatch(mentions);
}

const placeRaw = (rawBody: string, headers: Record<string, string> = {}) => call(app.url, 'POST', '/orders', { rawBody, headers });
const place = (body: unknown) => call(app.url, 'POST', '/orders', { body });
const withItem = (item: Record<string, unknown>) => ({ ...orderBody([]), items: [item] });

describe('bad input on POST /orders', () => {
  const cases: Array<[string, () => Promise<HttpResult>, number, RegExp?]> = [
    ['malformed JSON', () => placeRaw('{"customerId": '), 400, /JSON/i],
    ['duplicate keys', () => placeRaw(`{"customerId":"a","customerId":"b"}`), 400, /duplicate key .{0,2}customerId/],
    ['an unknown field', () => place({ ...orderBody([{ sku }]), coupon: 'FREE' }), 400, /coupon/],
    ['a wrong type', () => place({ ...orderBody([{ sku }]), currency: 7 }), 400, /currency/],
    ['quantity 0', () => place(withItem({ sku, quantity: 0 })), 400, /items\[0\]\.quantity/],
    ['a negative quantity', () => place(withItem({ sku, quantity: -1 })), 400, /items\[0\]\.quantity/],
    ['a fractional quantity', () => place(withItem({ sku, quantity: 1.5 })), 400, /items\[0\]\.quantity/],
    ['a huge quantity', () => place(withItem({ sku, quantity: 1e12 })), 400, /items\[0\]\.quantity/],
    ['an integer above 2^53', () => placeRaw(`{"items":[{"sku":"${'A'}","quantity":9007199254740993}]}`), 400, /2\^53/],
    ['an unknown currency', () => place({ ...orderBody([{ sku }]), currency: 'XYZ' }), 400, /currency/],
    ['a NUL byte', () => place({ ...orderBody([{ sku }]), customerId: 'a\u0000b' }), 400, /customerId|NUL/i],
    ['a lone surrogate', () => placeRaw(JSON.stringify(orderBody([{ sku }])).replace('eu-west', 'eu\\ud800west')), 400, /region|surrogate/i],
    ['no items', () => place({ ...orderBody([]) }), 400, /items/],
    ['an unknown SKU', () => place(orderBody([{ sku: 'NO-SUCH-SKU' }])), 422, /NO-SUCH-SKU/],
    ['a body over 64 KiB', () => place({ ...orderBody([{ sku }]), customerId: 'x'.repeat(70_000) }), 413],
    ['a wrong content type', () => placeRaw(JSON.stringify(orderBody([{ sku }])), { 'content-type': 'text/plain' }), 415],
  ];

  it.each(cases)('answers %s with a clear problem, not a 500', async (_name, send, status, mentions) => {
    expectClearProblem(await send(), status, mentions);
  });

  it('lost nothing and created nothing along the way', async () => {
    const orders = await app.db.selectFrom('orders').select('id').execute();
    const events = await app.db.selectFrom('outbox_events').select('event_id').execute();
    expect(orders).toHaveLength(0);
    expect(events).toHaveLength(0);
    const product = await app.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(product.stock).toBe(1_000);
  });
});

describe('bad input elsewhere', () => {
  it('rejects non-UUID order ids with 400 and unknown orders with 404', async () => {
    expectClearProblem(await call(app.url, 'GET', '/orders/not-a-uuid'), 400, /id/);
    expectClearProblem(await call(app.url, 'GET', '/orders/00000000-0000-4000-8000-000000000000'), 404);
  });

  it('rejects money as a float and money above 2^53', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const float = await call(app.url, 'POST', `/orders/${orderId}/payment-authorizations`, { body: { provider: 'p', reference: 'r', amountCents: 100.5 } });
    expectClearProblem(float, 400, /amountCents/);
    const huge = await call(app.url, 'POST', `/orders/${orderId}/payment-authorizations`, {
      rawBody: '{"provider":"p","reference":"r","amountCents":18014398509481984}',
    });
    expectClearProblem(huge, 400, /2\^53/);
  });

  it('normalizes text (NFC) and limits its length', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const long = await call(app.url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: 'é'.repeat(4_001) } });
    expectClearProblem(long, 400, /text/);
    const ok = await call(app.url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: 'e\u0301'.repeat(4_000) } });
    expect(ok.status).toBe(200); // 8000 UTF-16 units decomposed, 4000 characters once composed
  });

  it('rejects searches without a filter, with an unknown parameter or a bad limit', async () => {
    const search = (query: string) => call(app.url, 'GET', `/support/search?${query}`, { role: 'support' });
    expectClearProblem(await search(''), 400, /email, phone, customerId, status/);
    expectClearProblem(await search('email=a%40example.com&limit=abc'), 400, /limit/);
    expectClearProblem(await search('email=a%40example.com&limit=1000'), 400, /limit/);
    expectClearProblem(await search('email=a%40example.com&sort=desc'), 400, /sort/);
    expectClearProblem(await search('email=not-an-email'), 400, /email/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectClearProblem(await call(app.url, 'GET', '/nowhere'), 404);
  });
});
