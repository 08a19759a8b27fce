import { afterEach, describe, expect, it } from 'vitest';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function batchSizes(runtime: TestRuntime): Promise<number[]> {
  const rows = await runtime.db.selectFrom('outbox_batches').select('event_count').orderBy('id').execute();
  return rows.map((r) => r.event_count);
}

async function projectedCount(runtime: TestRuntime): Promise<number> {
  const row = await runtime.db.selectFrom('order_summary').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the outbox relay', () => {
  it('sends a lone event at once, and lets batches grow when events arrive faster than workflows finish', async () => {
    app = await startTestRuntime({ relay: { maxBatchSize: 500, maxOrdersPerBatch: 50, maxInFlight: 1, pollIntervalMs: 250, lingerMs: 250, sweepIntervalMs: 5_000, sweepAgeMs: 5_000 } });
    const runtime = app;
    const sku = await createProduct(runtime.url, { stock: 10_000 });

    await call(runtime.url, 'POST', '/orders', { body: orderBody([{ sku }]) });
    await eventually('the lone order projected', async () => (await projectedCount(runtime)) === 1);
    expect(await batchSizes(runtime)).toEqual([1]);

    const burst = 120;
    await Promise.all(Array.from({ length: burst }, () => call(runtime.url, 'POST', '/orders', { body: orderBody([{ sku }]) })));
    await eventually('the burst projected', async () => (await projectedCount(runtime)) === burst + 1, 60_000);
    const sizes = (await batchSizes(runtime)).slice(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(burst); // every event in exactly one batch
    expect(sizes.length).toBeLessThan(burst / 2);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
  });

  it('dispatches a batch claimed before a crash when it starts again', async () => {
    app = await startTestRuntime();
    const runtime = app;
    const sku = await createProduct(runtime.url);
    // Simulate a relay that claimed a batch and died before starting its workflow.
    await runtime.stopRelay();
    const placed = await call(runtime.url, 'POST', '/orders', { body: orderBody([{ sku }]) });
    const outboxId = await readOutboxId(runtime.db);
    // Claims wait while any older transaction on the server still runs (other test files' too).
    const claimed = await eventually('the event claimable', async () => (await claimBatch(runtime.db, outboxId, 100)) ?? undefined);
    expect(claimed.events.map((e) => e.eventId)).toEqual(placed.body.eventIds);

    await runtime.startRelay();
    const read = await eventually('the orphaned batch projected', async () => {
      const r = await call(runtime.url, 'GET', `/orders/${placed.body.orderId}`);
      return r.status === 200 ? r : undefined;
    });
    expect(read.body.freshness.lastEventId).toBe(placed.body.eventIds[0]);
    const batch = await runtime.db.selectFrom('outbox_batches').selectAll().where('id', '=', claimed.batchId).executeTakeFirstOrThrow();
    expect(batch.dispatched_at).not.toBeNull();
  });
});
