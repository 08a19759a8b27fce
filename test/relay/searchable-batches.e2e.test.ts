import { sql } from 'kysely';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import { FIRST_POSITION, LAST_POSITION, ORDER_IDS } from '../../workflows/search-attributes.js';
import { authorizeInFull, orderWithEvents } from '../support/order-events.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const MAX_ORDERS = 5;
let app: TestRuntime;

beforeAll(async () => {
  // One batch in flight at a time, so that a burst piles up and the bound, not the burst, cuts batches.
  app = await startTestRuntime({
    relay: { maxBatchSize: 500, maxOrdersPerBatch: MAX_ORDERS, maxInFlight: 1, pollIntervalMs: 100, lingerMs: 100, sweepIntervalMs: 5_000, sweepAgeMs: 5_000 },
  });
});
afterAll(async () => {
  await app?.stop();
});

/** Visibility is eventually consistent: poll until the query lists exactly the expected workflows. */
async function listUntil(client: Client, query: string, expected: string[]): Promise<string[]> {
  return eventually(`visibility query ${query}`, async () => {
    const found: string[] = [];
    for await (const run of client.workflow.list({ query })) found.push(run.workflowId);
    return found.sort().join() === [...expected].sort().join() ? found : undefined;
  });
}

async function batchesOf(runtime: TestRuntime): Promise<Array<{ id: number; orders: number; events: number }>> {
  return runtime.db.selectFrom('outbox_events').select(['batch_id'])
    .select((eb) => [eb.fn.count<number>('aggregate_id').distinct().as('orders'), eb.fn.countAll<number>().as('events')])
    .where('batch_id', 'is not', null).groupBy('batch_id').orderBy('batch_id').execute()
    .then((rows) => rows.map((r) => ({ id: Number(r.batch_id), orders: Number(r.orders), events: Number(r.events) })));
}

describe('searchable batch workflows', () => {
  it('carry the orders and the outbox positions of their batch, and a visibility query on the order finds them', async () => {
    const events = await orderWithEvents(app.db, [authorizeInFull()]);
    const orderId = events[0]!.aggregateId;
    const outboxId = await readOutboxId(app.db);
    const batchIds = await eventually('the events dispatched', async () => {
      const rows = await app.db.selectFrom('outbox_events').innerJoin('outbox_batches', 'outbox_batches.id', 'outbox_events.batch_id')
        .select(['batch_id', 'dispatched_at']).where('aggregate_id', '=', orderId).execute();
      const dispatched = rows.length === events.length && rows.every((r) => r.dispatched_at !== null);
      return dispatched ? [...new Set(rows.map((r) => r.batch_id!))] : undefined;
    });
    const workflowIds = batchIds.map((id) => `outbox-${outboxId}-batch-${id}`);

    for (const workflowId of workflowIds) {
      const attributes = (await app.temporal.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
      expect(attributes.get(ORDER_IDS)).toEqual([orderId]);
      const positions = (await app.db.selectFrom('outbox_events').select('position').where('batch_id', '=', Number(workflowId.split('-').at(-1))).execute()).map((r) => r.position);
      expect(attributes.get(FIRST_POSITION)).toBe(Math.min(...positions));
      expect(attributes.get(LAST_POSITION)).toBe(Math.max(...positions));
    }
    await listUntil(app.temporal, `OrderIds = "${orderId}"`, workflowIds);
  });

  it('holds at most RELAY_MAX_ORDERS_PER_BATCH orders per batch under a burst, and projects every event', async () => {
    const before = (await batchesOf(app)).at(-1)?.id ?? 0;
    const orders = await Promise.all(Array.from({ length: 40 }, () => orderWithEvents(app.db, [authorizeInFull()])));
    const eventCount = orders.flat().length;
    const batches = await eventually('the burst batched', async () => {
      const after = (await batchesOf(app)).filter((b) => b.id > before);
      return after.reduce((n, b) => n + b.events, 0) === eventCount ? after : undefined;
    }, 60_000);
    expect(Math.max(...batches.map((b) => b.orders))).toBeLessThanOrEqual(MAX_ORDERS);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(orders.length / MAX_ORDERS));
    const projected = await eventually('the burst projected', async () => {
      const row = await app.db.selectFrom('order_summary').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('order_id', 'in', orders.map((o) => o[0]!.aggregateId)).where('source_version', '=', 2).executeTakeFirstOrThrow();
      return Number(row.n) === orders.length ? Number(row.n) : undefined;
    }, 60_000);
    expect(projected).toBe(orders.length);
  });

  it('cuts a claim before the first event of an order beyond the bound, keeping the claim order', async () => {
    await app.stopRelay();
    try {
      const orders = [];
      // One after another: each commits before the next begins, so claim order is position order.
      for (let i = 0; i < MAX_ORDERS + 2; i++) orders.push(await orderWithEvents(app.db, []));
      const outboxId = await readOutboxId(app.db);
      // Another test's transaction can hold some rows back from eligibility for a moment:
      // wait until every row can be claimed, so the cut is the bound's and nothing else's.
      await eventually('every event eligible', async () => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from outbox_events
          where batch_id is null and tx_id < pg_snapshot_xmin(pg_current_snapshot())`.execute(app.db);
        return Number(rows[0]!.n) >= orders.length || undefined;
      });
      const batch = await eventually('a claim', async () => (await claimBatch(app.db, outboxId, 500, MAX_ORDERS)) ?? undefined);
      expect(new Set(batch.events.map((e) => e.aggregateId)).size).toBe(MAX_ORDERS);
      const rest = await eventually('a claim', async () => (await claimBatch(app.db, outboxId, 500, MAX_ORDERS)) ?? undefined);
      expect(rest.events).toHaveLength(orders.length - MAX_ORDERS);
      expect(rest.events[0]!.position).toBeGreaterThan(Math.max(...batch.events.map((e) => e.position)));
    } finally {
      await app.startRelay();
    }
  });
});
