// The real resources that `{placeholders}` in the corpus and the route list stand for.
import { createProduct } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { TOKENS } from '../support/test-runtime.js';
import type { Placeholders } from './corpus.js';

/**
 * A placed order (`orderId`, its `sku` and `totalCents`), a spare placed order and product for
 * requests that would change them if wrongly accepted, a paid order with an open dispute, a
 * product with one unit left, and one bearer token per role.
 */
export async function createPlaceholders(baseUrl: string): Promise<Placeholders> {
  const placed = await placeOrderFor(baseUrl, { stock: 1_000 });
  const spare = await placeOrderFor(baseUrl);
  const paid = await placeOrderFor(baseUrl);
  const authorized = await authorize(baseUrl, paid.orderId, paid.totalCents);
  if (authorized.status !== 200) throw new Error(`authorize failed: ${authorized.status}`);
  const dispute = await call(baseUrl, 'POST', `/orders/${paid.orderId}/disputes`, { role: 'support', body: { reason: 'chargeback' } });
  if (dispute.status !== 200) throw new Error(`open dispute failed: ${dispute.status}`);
  // If-None-Match on a read is only looked at once the order is in the read model.
  await eventually('the placed order is readable', async () => (await call(baseUrl, 'GET', `/orders/${placed.orderId}`)).status === 200);
  return {
    ...TOKENS,
    orderId: placed.orderId,
    totalCents: String(placed.totalCents),
    sku: placed.sku,
    spareOrderId: spare.orderId,
    spareSku: spare.sku,
    paidOrderId: paid.orderId,
    disputeId: dispute.body.createdId as string,
    scarceSku: await createProduct(baseUrl, { stock: 1 }),
  };
}
