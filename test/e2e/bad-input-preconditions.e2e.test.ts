import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type HttpResult } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
let orderId: string;
let sku: string;
beforeAll(async () => {
  app = await startTestRuntime();
  ({ orderId, sku } = await placeOrderFor(app.url));
  await eventually('order projected', async () => (await call(app.url, 'GET', `/orders/${orderId}`)).status === 200);
});
afterAll(async () => {
  await app?.stop();
});

function expectHeaderProblem(response: HttpResult, header: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status: 400, title: `Invalid ${header}`, header });
  expect(response.body.detail).toContain(header);
}

const MALFORMED = ['3', '"3', 'w/"3"', 'W/ "3"', '"1" "2"', '*, "1"', '"a"b"', ' , '];
const productBody = { name: 'Lamp', priceCents: 1_000, currency: 'USD', stock: 5 };

describe('malformed conditional headers get 400 problem+json naming the header', () => {
  it.each(MALFORMED)('If-Match %j on an order command', async (value) => {
    const response = await call(app.url, 'POST', `/orders/${orderId}/notes`, {
      role: 'support', body: { text: 'hi' }, headers: { 'if-match': value },
    });
    expectHeaderProblem(response, 'If-Match');
  });

  it.each(MALFORMED)('If-Match %j on PUT /products/{sku}, which changes nothing', async (value) => {
    const response = await call(app.url, 'PUT', `/products/${sku}`, { role: 'operator', body: productBody, headers: { 'if-match': value } });
    expectHeaderProblem(response, 'If-Match');
    const row = await app.db.selectFrom('products').select('name').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(row.name).not.toBe('Lamp');
  });

  it('If-Match on PUT /products/{sku} for a product that does not exist', async () => {
    const response = await call(app.url, 'PUT', `/products/NEW-${randomUUID().slice(0, 8)}`, {
      role: 'operator', body: productBody, headers: { 'if-match': 'garbage' },
    });
    expectHeaderProblem(response, 'If-Match');
  });

  it.each(MALFORMED)('If-None-Match %j on PUT /products/{sku}', async (value) => {
    const response = await call(app.url, 'PUT', `/products/${sku}`, { role: 'operator', body: productBody, headers: { 'if-none-match': value } });
    expectHeaderProblem(response, 'If-None-Match');
  });

  it.each(MALFORMED)('If-None-Match %j on GET /orders/{id}', async (value) => {
    const response = await call(app.url, 'GET', `/orders/${orderId}`, { headers: { 'if-none-match': value } });
    expectHeaderProblem(response, 'If-None-Match');
  });
});
