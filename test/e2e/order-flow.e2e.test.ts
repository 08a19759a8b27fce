import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelNames } from '../../src/read-models/registry.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

describe('an order placed over HTTP', () => {
  it('is confirmed by the write side, then appears in order_summary and in support search', async () => {
    const sku = await createProduct(app.url, { priceCents: 1999, stock: 5 });
    const body = orderBody([{ sku, quantity: 2 }]);
    const placed = await call(app.url, 'POST', '/orders', { body });

    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ version: 1, status: 'placed', totalCents: 3998, currency: 'USD' });
    const { orderId } = placed.body;
    expect(placed.headers.get('location')).toBe(`/orders/${orderId}`);
    expect(placed.headers.get('etag')).toBe('"1"');

    const summary = await eventually('order in order_summary', async () => {
      const read = await call(app.url, 'GET', `/orders/${orderId}`);
      return read.status === 200 ? read : undefined;
    });
    expect(summary.body).toMatchObject({ orderId, status: 'placed', totalCents: 3998, itemCount: 2, region: 'eu-west' });
    expect(summary.body.freshness).toMatchObject({ sourceVersion: 1, lastEventId: placed.body.eventIds[0] });
    expect(summary.body.freshness.lagMs).toBeGreaterThanOrEqual(0);

    const email = body.customer.email.toUpperCase(); // support types it however they like
    const found = await eventually('order in support search', async () => {
      const search = await call(app.url, 'GET', `/support/search?email=${encodeURIComponent(email)}`, { role: 'support' });
      return search.status === 200 && search.body.count === 1 ? search : undefined;
    });
    expect(found.body.results[0]).toMatchObject({ orderId, status: 'placed', totalCents: 3998, skus: [sku] });
    expect(found.body.results[0].freshness).toMatchObject({ sourceVersion: 1 });
  });

  it('is projected by one batch workflow, visible in Temporal with its outcome', async () => {
    const sku = await createProduct(app.url);
    const placed = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]) });
    const batch = await eventually('batch dispatched', () =>
      app.db
        .selectFrom('outbox_events')
        .innerJoin('outbox_batches', 'outbox_batches.id', 'outbox_events.batch_id')
        .select(['outbox_batches.id', 'outbox_batches.dispatched_at'])
        .where('outbox_events.event_id', '=', placed.body.eventIds[0])
        .where('outbox_batches.dispatched_at', 'is not', null)
        .executeTakeFirst(),
    );
    const outboxId = (await app.db.selectFrom('outbox_instance').select('instance_id').executeTakeFirstOrThrow()).instance_id;
    const handle = app.temporal.workflow.getHandle(`outbox-${outboxId}-batch-${batch.id}`);
    const result = await handle.result();
    expect(result.batchId).toBe(batch.id);
    expect(Object.keys(result.readModels)).toEqual(readModelNames());
    expect(result.readModels['order-status']!.applied + result.readModels['order-status']!.skipped).toBeGreaterThanOrEqual(1);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
});
