import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { call } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: unknown, role: 'client' | 'support' | 'operator') => call(app.url, 'POST', path, { body, role });

describe('the read side after the pipeline has run', () => {
  it('shows shipment, open disputes, risk flags and refunds on GET /orders/{id}', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 5_000, quantity: 2 });
    await authorize(app.url, orderId, totalCents);
    await post(`/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'JD0001' }, 'operator');
    await post(`/orders/${orderId}/shipment-events`, { status: 'in_transit' }, 'operator');
    await post(`/orders/${orderId}/refunds`, { amountCents: 1_500, reason: 'scratched' }, 'support');
    await post(`/orders/${orderId}/disputes`, { reason: 'never arrived' }, 'support');
    const last = await post(`/orders/${orderId}/risk-flags`, { flag: 'chargeback-risk', reason: 'disputed' }, 'support');
    expect(last.body.version).toBe(7);

    const read = await eventually('order status at the last version', async () => {
      const r = await call(app.url, 'GET', `/orders/${orderId}`);
      return r.status === 200 && r.body.freshness.sourceVersion === 7 ? r : undefined;
    });
    expect(read.body).toMatchObject({
      shipment: { carrier: 'DHL', trackingNumber: 'JD0001', status: 'in_transit' },
      openDisputes: 1,
      riskFlags: ['chargeback-risk'],
      refundedCents: 1_500,
    });
  });

  it('shows no shipment for an order not yet shipped', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const read = await eventually('order projected', async () => {
      const r = await call(app.url, 'GET', `/orders/${orderId}`);
      return r.status === 200 ? r : undefined;
    });
    expect(read.body).toMatchObject({ shipment: null, openDisputes: 0, riskFlags: [], refundedCents: 0 });
  });

  it('brings every read model checkpoint to the head, and support search says it is caught up', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const customerId = (await app.db.selectFrom('orders').select('customer_id').where('id', '=', orderId).executeTakeFirstOrThrow()).customer_id;
    const events = async () => Number((await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    for (const name of readModelNames()) {
      // An event committed but not yet claimable (a transaction elsewhere on the server is
      // older) is not in lagEvents yet, so wait for the position itself.
      const freshness = await eventually(`${name} at the head`, async () => {
        const f = await readModelFreshness(app.db, name);
        return f.position === (await events()) ? f : undefined;
      });
      expect(freshness).toEqual({ position: await events(), lagEvents: 0, lagMs: 0 });
    }
    const search = await eventually('order searchable', async () => {
      const r = await call(app.url, 'GET', `/support/search?customerId=${customerId}`, { role: 'support' });
      return r.status === 200 && r.body.count === 1 ? r : undefined;
    });
    expect(search.body.freshness).toEqual({ position: await events(), lagEvents: 0, lagMs: 0 });
  });
});
