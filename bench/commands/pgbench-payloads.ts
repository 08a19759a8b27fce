import { randomUUID } from 'node:crypto';
import { decide, evolve, type Catalog } from '../../src/domain/index.js';
import { orderCommandResponse } from '../../src/http/order-response.js';

export interface PgbenchPayloads {
  /** orders.state: the order aggregate as the API stores it. */
  state: string;
  /** outbox_events.payload: { event, order }, as src/outbox/append.ts writes it. */
  payload: string;
  /** idempotency_keys.response_headers and response_body of a 201. */
  responseHeaders: string;
  responseBody: string;
}

/**
 * The JSON the API writes for a typical (two-line) order, produced by the real domain
 * code, so the baseline stores documents of the same shape and size.
 */
export function pgbenchPayloads(skus: readonly string[]): PgbenchPayloads {
  const chosen = skus.slice(0, 2);
  const catalog: Catalog = Object.fromEntries(
    chosen.map((sku, i) => [sku, { name: `Bench product ${i}`, priceCents: 1_000 + 250 * i, currency: 'USD', stock: 1_000_000_000 }]),
  );
  const decision = decide({
    type: 'PlaceOrder',
    at: new Date().toISOString(),
    orderId: randomUUID(),
    customerId: 'cust-00000000',
    customer: { email: 'buyer-00000000@example.com', phone: '+14155550123', name: 'Bench Buyer' },
    region: 'eu-west',
    paymentProvider: 'stripe',
    currency: 'USD',
    items: chosen.map((sku) => ({ sku, quantity: 2 })),
    catalog,
  }, null);
  if (!decision.ok || decision.events.length !== 1) throw new Error('could not build a sample order for pgbench');
  const event = decision.events[0]!;
  const order = evolve(null, event);
  const response = orderCommandResponse(order, 201, [randomUUID()]);
  return {
    state: JSON.stringify(order),
    payload: JSON.stringify({ event: event.data, order }),
    responseHeaders: JSON.stringify(response.headers),
    responseBody: JSON.stringify(response.body),
  };
}
