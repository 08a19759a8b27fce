import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

describe('the last unit in stock', () => {
  it('goes to exactly one of many concurrent orders; the rest get 409 problem+json', async () => {
    const sku = await createProduct(app.url, { stock: 1 });
    const attempts = 12;
    const results = await Promise.all(
      Array.from({ length: attempts }, () => call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]) })),
    );

    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(attempts - 1);
    for (const loser of lost) {
      expect(loser.headers.get('content-type')).toContain('application/problem+json');
      expect(loser.body).toMatchObject({ status: 409, code: 'insufficient_stock', sku, available: 0 });
    }

    const product = await app.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(product.stock).toBe(0);
    const orders = await app.db.selectFrom('order_items').select('order_id').where('sku', '=', sku).execute();
    expect(orders).toHaveLength(1);
    const events = await app.db.selectFrom('outbox_events').select('event_id').where('aggregate_id', '=', won[0]!.body.orderId).execute();
    expect(events).toHaveLength(1);
  });
});
