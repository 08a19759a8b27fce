// After a barrage of bad input: did anything get written, and does the stack still work?
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';

/** What a wrongly accepted request would change: orders, events, the catalog. */
export async function writtenState(db: Db) {
  const { orders } = await db.selectFrom('orders').select(sql<number>`count(*)::int`.as('orders')).executeTakeFirstOrThrow();
  const { events } = await db.selectFrom('outbox_events').select(sql<number>`count(*)::int`.as('events')).executeTakeFirstOrThrow();
  const products = await db.selectFrom('products').select(['sku', 'version', 'stock', 'price_cents', 'name']).orderBy('sku').execute();
  return { orders, events, products };
}

/** /health answers, and a normal order is placed and reaches both read models. */
export async function expectStackHealthy(baseUrl: string): Promise<void> {
  const health = await call(baseUrl, 'GET', '/health', { role: null });
  expect(health.status).toBe(200);
  const sku = await createProduct(baseUrl, { stock: 5 });
  const body = orderBody([{ sku, quantity: 1 }]);
  const placed = await call(baseUrl, 'POST', '/orders', { body });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  await eventually('the order is projected into order_summary', async () => (await call(baseUrl, 'GET', `/orders/${orderId}`)).status === 200);
  await eventually('the order is projected into the search index', async () => {
    const found = await call(baseUrl, 'GET', `/support/search?customerId=${encodeURIComponent(body.customerId)}`, { role: 'support' });
    return found.status === 200 && found.body.count === 1;
  });
}
