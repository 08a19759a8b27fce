/** Over HTTP: a payment is never given back twice, and only the order's provider may take it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, role: 'client' | 'support' | 'operator') => call(app.url, 'POST', path, { body, role });

async function authorizedOrder() {
  const order = await placeOrderFor(app.url, { priceCents: 2_500, quantity: 2 });
  const paid = await authorize(app.url, order.orderId, order.totalCents);
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return order;
}

async function openDispute(orderId: string): Promise<string> {
  const opened = await post(`/orders/${orderId}/disputes`, { reason: 'chargeback filed' }, 'support');
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  return opened.body.createdId as string;
}

describe('a fully refunded order', () => {
  it('is refused shipping with 409 and can still be cancelled', async () => {
    const { orderId, totalCents } = await authorizedOrder();
    const refunded = await post(`/orders/${orderId}/refunds`, { amountCents: totalCents, reason: 'out of stock' }, 'support');
    expect(refunded.body).toMatchObject({ refundState: 'full', refundedCents: totalCents });

    const ship = await post(`/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'JD0001' }, 'operator');
    expectProblem(ship, 409);
    expect(ship.body).toMatchObject({ code: 'illegal_transition', currentStatus: 'authorized', refundState: 'full' });
    expect(ship.body.detail).toMatch(/whole amount was refunded/);

    const cancelled = await post(`/orders/${orderId}/cancellation`, { reason: 'refunded already' }, 'support');
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refundState: 'full', refundedCents: totalCents });
  });
});

describe('refunds around a dispute', () => {
  it('are refused with 409 while the dispute is open and after it is upheld, and so is shipping', async () => {
    const { orderId, totalCents } = await authorizedOrder();
    const partial = await post(`/orders/${orderId}/refunds`, { amountCents: 1_000, reason: 'scratch' }, 'support');
    expect(partial.status).toBe(200);
    const disputeId = await openDispute(orderId);

    const whileOpen = await post(`/orders/${orderId}/refunds`, { amountCents: 1_000, reason: 'goodwill' }, 'support');
    expectProblem(whileOpen, 409);
    expect(whileOpen.body).toMatchObject({ code: 'illegal_transition', disputeId, disputeStatus: 'open' });

    const upheld = await post(`/orders/${orderId}/disputes/${disputeId}/resolution`, { outcome: 'upheld', comment: 'bank sided with the customer' }, 'support');
    expect(upheld.status).toBe(200);
    // The chargeback is not a refund the shop issued: the refund totals stay as they were.
    expect(upheld.body).toMatchObject({ refundState: 'partial', refundedCents: 1_000 });

    const afterUpheld = await post(`/orders/${orderId}/refunds`, { amountCents: totalCents - 1_000, reason: 'rest' }, 'support');
    expectProblem(afterUpheld, 409);
    expect(afterUpheld.body).toMatchObject({ code: 'illegal_transition', disputeId, disputeOutcome: 'upheld' });
    expect(afterUpheld.body.detail).toMatch(/upheld/);

    // The chargeback gave the customer the payment back, so the goods stay too.
    const ship = await post(`/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'JD0002' }, 'operator');
    expectProblem(ship, 409);
    expect(ship.body).toMatchObject({ code: 'illegal_transition', disputeId, disputeOutcome: 'upheld' });
  });

  it('are allowed again once the dispute is rejected', async () => {
    const { orderId, totalCents } = await authorizedOrder();
    const disputeId = await openDispute(orderId);
    expectProblem(await post(`/orders/${orderId}/refunds`, { amountCents: 100, reason: 'goodwill' }, 'support'), 409);
    await post(`/orders/${orderId}/disputes/${disputeId}/resolution`, { outcome: 'rejected', comment: 'delivered' }, 'support');
    const refund = await post(`/orders/${orderId}/refunds`, { amountCents: totalCents, reason: 'goodwill' }, 'support');
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    expect(refund.body).toMatchObject({ refundState: 'full', refundedCents: totalCents });
  });
});

describe('the payment provider', () => {
  it('refuses approved and declined authorizations from another provider with 422', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url); // placed with stripe
    for (const outcome of ['approved', 'declined'] as const) {
      const response = await post(`/orders/${orderId}/payment-authorizations`,
        { provider: 'adyen', reference: 'psp_1', amountCents: totalCents, outcome, ...(outcome === 'declined' ? { reason: 'do not honor' } : {}) }, 'client');
      expectProblem(response, 422);
      expect(response.body).toMatchObject({ code: 'provider_mismatch', expectedProvider: 'stripe', provider: 'adyen' });
      expect(response.body.type).toMatch(/provider-mismatch$/);
      expect(response.body.detail).toMatch(/adyen.*stripe/);
    }
    const approved = await authorize(app.url, orderId, totalCents);
    expect(approved.body).toMatchObject({ status: 'authorized', paymentState: 'authorized', version: 2 });
  });
});
