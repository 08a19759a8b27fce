import { afterEach, describe, expect, it } from 'vitest';
import { readOutboxId } from '../../src/relay/claim.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function placeOrder(runtime: TestRuntime) {
  const sku = await createProduct(runtime.url);
  const placed = await call(runtime.url, 'POST', '/orders', { body: orderBody([{ sku }]) });
  expect(placed.status).toBe(201);
  return placed.body as { orderId: string; eventIds: string[] };
}

async function projected(runtime: TestRuntime, orderId: string) {
  return eventually(`order ${orderId} projected`, async () => (await call(runtime.url, 'GET', `/orders/${orderId}`)).status === 200);
}

describe('the relay across its life', () => {
  it('records when the workflow of a batch completes', async () => {
    app = await startTestRuntime();
    const runtime = app;
    const { orderId, eventIds } = await placeOrder(runtime);
    await projected(runtime, orderId);

    const batch = await eventually('the batch completed', async () => {
      const row = await runtime.db.selectFrom('outbox_batches').innerJoin('outbox_events', 'outbox_events.batch_id', 'outbox_batches.id')
        .select(['outbox_batches.dispatched_at', 'outbox_batches.completed_at']).where('event_id', '=', eventIds[0]!).executeTakeFirst();
      return row?.completed_at ? row : undefined;
    });
    expect(batch.completed_at!.getTime()).toBeGreaterThanOrEqual(batch.dispatched_at!.getTime());
  });

  it('starts again after a failed start', async () => {
    app = await startTestRuntime();
    const runtime = app;
    await runtime.stopRelay();
    // Without its outbox id the relay cannot name workflows: this start fails.
    const outboxId = await readOutboxId(runtime.db);
    await runtime.db.deleteFrom('outbox_instance').execute();
    await expect(runtime.startRelay()).rejects.toThrow();

    await runtime.db.insertInto('outbox_instance').values({ instance_id: outboxId }).execute();
    await runtime.startRelay();

    const { orderId } = await placeOrder(runtime);
    expect(await projected(runtime, orderId)).toBe(true);
  });
});
