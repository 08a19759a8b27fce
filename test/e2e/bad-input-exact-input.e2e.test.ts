// Money and counts must come from integer literals, and text must show something.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
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

function expectFieldProblem(response: HttpResult, field: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

/** JSON text of `body` with `literal` written verbatim where the value PLACEHOLDER stands. */
function withLiteral(body: unknown, literal: string): string {
  return JSON.stringify(body).replace('"PLACEHOLDER"', literal);
}

const NOT_INTEGER_LITERALS = ['0.99999999999999999', '1.0', '1e0', '1.5e1'];

describe('money and counts are integer literals, never rounded', () => {
  it.each(NOT_INTEGER_LITERALS)('refuses quantity %s instead of ordering a rounded amount', async (literal) => {
    const rawBody = withLiteral(orderBody([{ sku }], { items: [{ sku, quantity: 'PLACEHOLDER' }] }), literal);
    expectFieldProblem(await call(app.url, 'POST', '/orders', { rawBody }), 'items[0].quantity');
  });

  it('refuses amountCents 1449.99999999999999 for a 1450 order, and takes 1450', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 725, quantity: 2 });
    expect(totalCents).toBe(1450);
    const path = `/orders/${orderId}/payment-authorizations`;
    const rawBody = withLiteral({ provider: 'stripe', reference: 'pi_1', amountCents: 'PLACEHOLDER' }, '1449.99999999999999');
    expectFieldProblem(await call(app.url, 'POST', path, { rawBody }), 'amountCents');
    const exact = await authorize(app.url, orderId, 1450);
    expect(exact.status, JSON.stringify(exact.body)).toBe(200);
  });

  it('refuses refund amountCents 0.99999999999999999 on a paid order', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    expect((await authorize(app.url, orderId, totalCents)).status).toBe(200);
    for (const literal of NOT_INTEGER_LITERALS) {
      const rawBody = withLiteral({ amountCents: 'PLACEHOLDER', reason: 'damaged' }, literal);
      const refund = await call(app.url, 'POST', `/orders/${orderId}/refunds`, { role: 'support', rawBody });
      expectFieldProblem(refund, 'amountCents');
    }
    const events = await app.db.selectFrom('outbox_events').select('event_type').where('aggregate_id', '=', orderId).execute();
    expect(events.map((e) => e.event_type)).not.toContain('RefundIssued');
  });

  it.each([
    ['priceCents', '4503599627370496.5', 4503599627370496],
    ['priceCents', '1250.0', 1250],
    ['priceCents', '1.25e3', 1250],
    ['stock', '1.5e3', 1500],
    ['stock', '10.0', 10],
  ])('refuses product %s written as %s, stores nothing, and takes an integer instead', async (field, literal, integer) => {
    const product = `EXACT-${randomUUID().slice(0, 8).toUpperCase()}`;
    const put = (rawBody: string) => call(app.url, 'PUT', `/products/${product}`, { role: 'operator', rawBody });
    const body = { name: 'Exact', priceCents: 1250, currency: 'USD', stock: 5, [field]: 'PLACEHOLDER' };
    expectFieldProblem(await put(withLiteral(body, literal)), field);
    const stored = await app.db.selectFrom('products').select('sku').where('sku', '=', product).execute();
    expect(stored).toHaveLength(0);
    const exact = await put(withLiteral(body, String(integer)));
    expect(exact.status, JSON.stringify(exact.body)).toBe(201);
    expect(exact.body[field]).toBe(integer);
  });
});

describe('text needs a visible character; one-line fields stay one line', () => {
  const place = (overrides: Record<string, unknown>) => call(app.url, 'POST', '/orders', { body: orderBody([{ sku }], overrides) });
  const customer = (name: string) => ({ customer: { email: 'ada@example.com', phone: '+14155550123', name } });

  it.each([
    ['customerId', { customerId: '\u200b' }],
    ['customer.name', customer('\u200b\u200b\u200b')],
    ['customer.name', customer('\u2060\ufeff\u200d')],
    ['region', { region: '\u3164' }],
    ['paymentProvider', { paymentProvider: '\u00ad\u2800' }],
  ])('refuses invisible %s as blank', async (field, overrides) => {
    expectFieldProblem(await place(overrides), field);
  });

  it.each([
    ['region', { region: 'eu\u2028west' }],
    ['region', { region: 'eu\u2029west' }],
    ['customer.name', customer('Ada \u202eecalevoL')],
    ['customerId', { customerId: 'c-42\u202a' }],
    ['paymentProvider', { paymentProvider: 'stripe\u2066x\u2069' }],
    ['paymentProvider', { paymentProvider: '\u202dstripe' }],
  ])('refuses a line separator or bidi control in %s', async (field, overrides) => {
    expectFieldProblem(await place(overrides), field);
  });

  it('refuses invisible notes, reasons and search terms, but keeps joiners and separators inside visible text', async () => {
    const placed = await place(customer('Ada 👩\u200d💻'));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    const note = await call(app.url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: '\u200b\n\ufeff \u2060' } });
    expectFieldProblem(note, 'text');
    const cancel = await call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body: { reason: '\u3164\u034f' } });
    expectFieldProblem(cancel, 'reason');
    const search = await call(app.url, 'GET', '/support/search?customerId=%E2%80%8B', { role: 'support' });
    expectFieldProblem(search, 'customerId');
    const visible = await call(app.url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: 'first\u2028second' } });
    expect(visible.status, JSON.stringify(visible.body)).toBe(200);
  });
});
