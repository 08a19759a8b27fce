/**
 * `npm run bench:batches`: what a burst of outbox events costs in Temporal history events,
 * with the relay's current settings (`RELAY_MAX_ORDERS_PER_BATCH`, `RELAY_MAX_BATCH`, …).
 * Places `BENCH_BURST_EVENTS` one-event orders straight on the write model (every event a new
 * order: the worst case for the orders-per-batch bound), waits until every batch workflow has
 * closed and sums their history lengths.
 */
import { randomUUID } from 'node:crypto';
import { placeOrder } from '../src/commands/place-order.js';
import type { Db } from '../src/db/database.js';
import { waitFor } from '../src/stack/wait.js';
import { startBenchRuntime, type BenchRuntime } from './support/bench-runtime.js';
import { isMain, runMain } from './support/main.js';
import { withServices } from './support/services.js';
import { ORDER_IDS } from '../workflows/search-attributes.js';

const BURST = Number(process.env.BENCH_BURST_EVENTS ?? 2000);
const WRITERS = 8;

async function placeBurst(db: Db, events: number): Promise<void> {
  const skus = Array.from({ length: WRITERS }, (_, i) => `BURST-${i}`);
  await db.insertInto('products').values(skus.map((sku) => ({ sku, name: sku, price_cents: 1000, currency: 'USD', stock: 1_000_000 }))).execute();
  let next = 0;
  const writer = async (sku: string) => {
    while (next++ < events) {
      await db.transaction().execute((trx) => placeOrder(trx, {
        orderId: randomUUID(), at: new Date().toISOString(), customerId: 'bench', region: 'eu-west', paymentProvider: 'stripe',
        currency: 'USD', customer: { email: 'bench@example.com', phone: '+14155550123', name: 'Bench' }, items: [{ sku, quantity: 1 }],
      }));
    }
  };
  await Promise.all(skus.map(writer));
}

async function allBatchesClosed(bench: BenchRuntime, events: number): Promise<boolean> {
  const row = await bench.runtime.db.selectFrom('outbox_batches')
    .select((eb) => [eb.fn.sum<number>('event_count').as('events'), eb.fn.count<number>('completed_at').as('done'), eb.fn.countAll<number>().as('all')])
    .executeTakeFirstOrThrow();
  return Number(row.events) === events && Number(row.done) === Number(row.all);
}

async function measure(bench: BenchRuntime): Promise<void> {
  const began = Date.now();
  await placeBurst(bench.runtime.db, BURST);
  await waitFor(async () => (await allBatchesClosed(bench, BURST)) || undefined, { timeoutMs: 600_000, intervalMs: 500, description: 'every batch closed' });
  const seconds = (Date.now() - began) / 1000;
  let workflows = 0;
  let historyEvents = 0;
  const orders: number[] = [];
  for await (const run of bench.runtime.temporal.workflow.list({ query: `TaskQueue = '${bench.config.taskQueue}'` })) {
    workflows++;
    historyEvents += run.historyLength;
    orders.push((run.typedSearchAttributes.get(ORDER_IDS) ?? []).length);
  }
  const { relay } = bench.config;
  console.log(`relay: max batch ${relay.maxBatchSize}, max orders per batch ${relay.maxOrdersPerBatch}, max in flight ${relay.maxInFlight}, linger ${relay.lingerMs} ms`);
  console.log(`${BURST} outbox events (one order each) -> ${workflows} batch workflows, ${historyEvents} history events`);
  console.log(`history events per outbox event: ${(historyEvents / BURST).toFixed(3)}; per workflow: ${(historyEvents / workflows).toFixed(1)}`);
  console.log(`orders per batch: max ${Math.max(...orders)}, mean ${(orders.reduce((a, b) => a + b, 0) / orders.length).toFixed(1)}; burst projected in ${seconds.toFixed(1)} s`);
}

export async function benchBatchHistory(): Promise<void> {
  await withServices(async (stack) => {
    const bench = await startBenchRuntime(stack);
    try {
      await measure(bench);
    } finally {
      await bench.cleanup();
    }
  });
}

if (isMain(import.meta.url)) runMain(benchBatchHistory);
