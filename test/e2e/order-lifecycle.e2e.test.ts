import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, role: 'client' | 'support' | 'operator', headers: Record<string, string> = {}) =>
  call(app.url, 'POST', path, { body, role, headers });

async function stockOf(sku: string): Promise<number> {
  const row = await app.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirstOrThrow();
  return row.stock;
}

describe('the order lifecycle over HTTP', () => {
  it('goes placed → authorized → shipped → delivered → refunded, each step one event and one version', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 5_000, quantity: 2 });
    const steps = [
      await authorize(app.url, orderId, totalCents),
      await post(`/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'JD0001' }, 'operator'),
      await post(`/orders/${orderId}/shipment-events`, { status: 'in_transit' }, 'operator'),
      await post(`/orders/${orderId}/shipment-events`, { status: 'delivered' }, 'operator'),
      await post(`/orders/${orderId}/notes`, { text: 'Customer called about the box.' }, 'support'),
      await post(`/orders/${orderId}/refunds`, { amountCents: 4_000, reason: 'damaged box' }, 'support'),
      await post(`/orders/${orderId}/risk-flags`, { flag: 'chargeback-risk', reason: 'second refund request' }, 'support'),
      await post(`/orders/${orderId}/refunds`, { amountCents: 6_000, reason: 'returned' }, 'support'),
    ];
    steps.forEach((step, i) => {
      expect(step.status, JSON.stringify(step.body)).toBe(200);
      expect(step.body.version).toBe(i + 2);
      expect(step.headers.get('etag')).toBe(`"${i + 2}"`);
    });
    expect(steps.at(-1)!.body).toMatchObject({ status: 'delivered', refundState: 'full', refundedCents: 10_000 });

    const types = await app.db.selectFrom('outbox_events').select(['event_type', 'aggregate_version']).where('aggregate_id', '=', orderId).orderBy('aggregate_version').execute();
    expect(types.map((t) => t.event_type)).toEqual([
      'OrderPlaced', 'PaymentAuthorized', 'OrderShipped', 'ShipmentStatusChanged', 'ShipmentStatusChanged',
      'NoteAdded', 'RefundIssued', 'RiskFlagged', 'RefundIssued',
    ]);
    const read = await eventually('read model at the last version', async () => {
      const r = await call(app.url, 'GET', `/orders/${orderId}`);
      return r.status === 200 && r.body.freshness.sourceVersion === 9 ? r : undefined;
    });
    expect(read.body).toMatchObject({ status: 'delivered', refundState: 'full', refundedCents: 10_000, paymentState: 'authorized' });
  });

  it('records a declined authorization and accepts a later approval', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    const declined = await post(`/orders/${orderId}/payment-authorizations`,
      { provider: 'stripe', reference: 'pi_x', amountCents: totalCents, outcome: 'declined', reason: 'insufficient funds' }, 'client');
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'placed', paymentState: 'declined', version: 2 });
    const approved = await authorize(app.url, orderId, totalCents);
    expect(approved.body).toMatchObject({ status: 'authorized', paymentState: 'authorized', version: 3 });
  });

  it('refuses an authorization for another amount than the total', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    const response = await authorize(app.url, orderId, totalCents - 1);
    expectProblem(response, 422);
    expect(response.body).toMatchObject({ code: 'amount_mismatch' });
  });

  it('refuses illegal transitions with 409 and the current status', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const ship = await post(`/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: '1Z' }, 'operator');
    expectProblem(ship, 409);
    expect(ship.body).toMatchObject({ code: 'illegal_transition', currentStatus: 'placed' });
    const refund = await post(`/orders/${orderId}/refunds`, { amountCents: 1, reason: 'x' }, 'support');
    expectProblem(refund, 409);
  });

  it('cancels before shipment, returning the stock, and not after', async () => {
    const { orderId, sku } = await placeOrderFor(app.url, { stock: 10, quantity: 3 });
    expect(await stockOf(sku)).toBe(7);
    const cancelled = await post(`/orders/${orderId}/cancellation`, { reason: 'changed my mind' }, 'client');
    expect(cancelled.body).toMatchObject({ status: 'cancelled', paymentState: 'pending' });
    expect(await stockOf(sku)).toBe(10);
    const projected = await eventually('cancellation projected', async () => {
      const r = await call(app.url, 'GET', `/orders/${orderId}`);
      return r.status === 200 && r.body.status === 'cancelled' ? r : undefined;
    });
    expect(projected.body.freshness.sourceVersion).toBe(2);
    const again = await post(`/orders/${orderId}/cancellation`, { reason: 'twice' }, 'client');
    expectProblem(again, 409);
    expect(await stockOf(sku)).toBe(10);

    const shipped = await placeOrderFor(app.url);
    await authorize(app.url, shipped.orderId, shipped.totalCents);
    await post(`/orders/${shipped.orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'X1' }, 'operator');
    const late = await post(`/orders/${shipped.orderId}/cancellation`, { reason: 'too late' }, 'client');
    expectProblem(late, 409);
    expect(late.body.currentStatus).toBe('shipped');
  });

  it('never refunds more than was authorized', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 1_000, quantity: 1 });
    await authorize(app.url, orderId, totalCents);
    const partial = await post(`/orders/${orderId}/refunds`, { amountCents: 700, reason: 'scratch' }, 'support');
    expect(partial.body).toMatchObject({ refundState: 'partial', refundedCents: 700 });
    const over = await post(`/orders/${orderId}/refunds`, { amountCents: 301, reason: 'more' }, 'support');
    expectProblem(over, 409);
    expect(over.body).toMatchObject({ code: 'refund_exceeds_authorized', remainingCents: 300 });
  });

  it('opens and resolves a dispute, one open at a time', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    await authorize(app.url, orderId, totalCents);
    const opened = await post(`/orders/${orderId}/disputes`, { reason: 'item not received' }, 'support');
    expect(opened.status).toBe(200);
    const disputeId = opened.body.createdId;
    const inSearch = await eventually('open dispute visible to support search', async () => {
      const customerId = (await call(app.url, 'GET', `/orders/${orderId}`)).body.customerId;
      const r = customerId ? await call(app.url, 'GET', `/support/search?customerId=${customerId}`, { role: 'support' }) : undefined;
      return r?.body.results?.[0]?.openDispute === true ? r : undefined;
    });
    expect(inSearch.body.results[0]).toMatchObject({ orderId, paymentState: 'authorized', freshness: { sourceVersion: 3 } });
    expectProblem(await post(`/orders/${orderId}/disputes`, { reason: 'again' }, 'support'), 409);
    const unknown = await post(`/orders/${orderId}/disputes/00000000-0000-4000-8000-000000000000/resolution`, { outcome: 'upheld', comment: 'ok' }, 'support');
    expectProblem(unknown, 404);
    const resolved = await post(`/orders/${orderId}/disputes/${disputeId}/resolution`, { outcome: 'rejected', comment: 'tracking shows delivery' }, 'support');
    expect(resolved.status).toBe(200);
    expectProblem(await post(`/orders/${orderId}/disputes/${disputeId}/resolution`, { outcome: 'upheld', comment: 'twice' }, 'support'), 409);
  });

  it('answers 404 for an order that does not exist', async () => {
    const response = await post('/orders/00000000-0000-4000-8000-000000000001/notes', { text: 'hello' }, 'support');
    expectProblem(response, 404);
  });
});

describe('optimistic concurrency', () => {
  it('applies a command whose If-Match matches and refuses a stale one with 412', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    const paid = await call(app.url, 'POST', `/orders/${orderId}/payment-authorizations`, {
      body: { provider: 'stripe', reference: 'pi_1', amountCents: totalCents }, headers: { 'if-match': '"1"' },
    });
    expect(paid.status).toBe(200);
    const stale = await post(`/orders/${orderId}/notes`, { text: 'based on v1' }, 'support', { 'if-match': '"1"' });
    expectProblem(stale, 412);
    expect(stale.body).toMatchObject({ currentVersion: 2, expectedVersions: [1] });
    const fresh = await post(`/orders/${orderId}/notes`, { text: 'based on v2' }, 'support', { 'if-match': paid.headers.get('etag')! });
    expect(fresh.status).toBe(200);
  });

  it('lets concurrent refunds never exceed the authorized amount together', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 10_000, quantity: 1 });
    await authorize(app.url, orderId, totalCents);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(`/orders/${orderId}/refunds`, { amountCents: 3_000, reason: 'race' }, 'support')),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    results.filter((r) => r.status !== 200).forEach((r) => expectProblem(r, 409));
    const order = await app.db.selectFrom('orders').select('state').where('id', '=', orderId).executeTakeFirstOrThrow();
    expect((order.state as { refund: { refundedCents: number } }).refund.refundedCents).toBe(9_000);
  });
});

describe('roles', () => {
  it('needs a token (401) with the right role (403)', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const anonymous = await call(app.url, 'POST', `/orders/${orderId}/notes`, { body: { text: 'x' }, role: null });
    expectProblem(anonymous, 401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const badToken = await call(app.url, 'GET', `/orders/${orderId}`, { token: 'not-a-real-token-at-all' });
    expectProblem(badToken, 401);
    expectProblem(await post(`/orders/${orderId}/notes`, { text: 'x' }, 'client'), 403);
    expectProblem(await call(app.url, 'PUT', '/products/ABC', { role: 'support', body: { name: 'x', priceCents: 1, currency: 'USD', stock: 1 } }), 403);
    expectProblem(await call(app.url, 'GET', '/support/search?email=a@b.co', { role: 'client' }), 403);
    expectProblem(await call(app.url, 'POST', '/orders', { role: 'support', body: {} }), 403);
  });
});
