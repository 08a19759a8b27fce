import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { sessionsWaitingForLocks } from '../support/lock-waits.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

/** Products created in reverse SKU order, so that neither their storage nor hash order is SKU order. */
async function createProducts(prefix: string, count: number, stock: number): Promise<string[]> {
  const skus = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  for (const sku of [...skus].reverse()) await createProduct(app.url, { sku, stock });
  return skus;
}

async function placeAll(skus: readonly string[]): Promise<string> {
  const placed = await call(app.url, 'POST', '/orders', { body: orderBody(skus.map((sku) => ({ sku }))) });
  if (placed.status !== 201) throw new Error(`place failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  return placed.body.orderId;
}

describe('every command locks products in SKU order', () => {
  it('cancelling waits for the first SKU holding no other product lock', async () => {
    const skus = await createProducts('ORDERED', 24, 10);
    const orderId = await placeAll(skus);

    const { cancelled, lockedByCancel } = await app.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select 1 from products where sku = ${skus[0]!} for update`.execute(conn);
      const cancellation = call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body: { reason: 'changed my mind' } });
      await eventually('the cancellation waits for the first SKU', async () => (await sessionsWaitingForLocks(app.db)) >= 1);
      // Whatever the cancellation already locked cannot be taken here.
      const free = await sql<{ sku: string }>`
        select sku from products where sku = any(${skus.slice(1)}) for update skip locked`.execute(conn);
      await sql`commit`.execute(conn);
      return { cancelled: await cancellation, lockedByCancel: skus.length - 1 - free.rows.length };
    });

    expect(lockedByCancel).toBe(0);
    expect(cancelled.status).toBe(200);
  });

  it('lets concurrent orders and cancellations over many SKUs all succeed, stock exact', async () => {
    const skus = await createProducts('BUSY', 24, 100);
    const rounds = 8;
    const placed = await Promise.all(Array.from({ length: rounds }, () => placeAll(skus)));

    const reversed = [...skus].reverse().map((sku) => ({ sku }));
    const results = await Promise.all([
      ...placed.map((id) => call(app.url, 'POST', `/orders/${id}/cancellation`, { body: { reason: 'changed my mind' } })),
      ...placed.map(() => call(app.url, 'POST', '/orders', { body: orderBody(reversed) })),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([...Array(rounds).fill(200), ...Array(rounds).fill(201)]);
    const stock = await app.db.selectFrom('products').select('stock').where('sku', 'in', skus).execute();
    expect(stock.map((p) => p.stock)).toEqual(skus.map(() => 100 - rounds));
  });
});
