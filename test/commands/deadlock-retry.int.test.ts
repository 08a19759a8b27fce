import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
import { deadlocksDetected, sessionsWaitingForLocks } from '../support/lock-waits.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

async function orderOverTwoProducts() {
  const id = randomUUID().slice(0, 6).toUpperCase();
  const [first, second] = [`DL-${id}-A`, `DL-${id}-B`];
  for (const sku of [first, second]) await createProduct(app.url, { sku, stock: 10 });
  const placed = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku: first }, { sku: second }]) });
  expect(placed.status).toBe(201);
  return { orderId: placed.body.orderId as string, first, second };
}

async function stocks(skus: string[]): Promise<number[]> {
  const rows = await app.db.selectFrom('products').select(['sku', 'stock']).where('sku', 'in', skus).orderBy('sku').execute();
  return rows.map((r) => r.stock);
}

async function cancellationEvents(orderId: string): Promise<number> {
  const rows = await app.db.selectFrom('outbox_events').select('event_id')
    .where('aggregate_id', '=', orderId).where('event_type', '=', 'OrderCancelled').execute();
  return rows.length;
}

/**
 * Closes a real deadlock with the request: it holds `first` and waits for `second`, held here;
 * this session then asks for `first`. PostgreSQL breaks the cycle by aborting the request, as
 * this session waits far longer than the server's deadlock_timeout before checking itself.
 */
async function deadlockOnce(conn: Kysely<any>, first: string): Promise<void> {
  await eventually('the request waits for the second product', async () => (await sessionsWaitingForLocks(app.db)) >= 1);
  await sql`savepoint cycle`.execute(conn);
  await sql`select 1 from products where sku = ${first} for update`.execute(conn);
  // Give the first product back, so that a re-run can take it and close the cycle again.
  await sql`rollback to savepoint cycle`.execute(conn);
}

function tracked(pending: Promise<HttpResult>) {
  let settled: HttpResult | undefined;
  void pending.then((r) => (settled = r));
  return { pending, settled: () => settled };
}

describe('deadlocks and serialization failures', () => {
  it('re-runs a command chosen as deadlock victim: the client sees 200 and one cancellation', async () => {
    const { orderId, first, second } = await orderOverTwoProducts();
    const deadlocksBefore = await deadlocksDetected(app.db);

    const cancelled = await app.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`set local deadlock_timeout = '60s'`.execute(conn);
      await sql`select 1 from products where sku = ${second} for update`.execute(conn);
      const cancellation = call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body: { reason: 'changed my mind' } });
      await deadlockOnce(conn, first);
      await sql`commit`.execute(conn);
      return cancellation;
    });

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stocks([first, second])).toEqual([10, 10]);
    expect(await cancellationEvents(orderId)).toBe(1);
    await eventually('PostgreSQL recorded the deadlock', async () => (await deadlocksDetected(app.db)) > deadlocksBefore);
  });

  it('answers 503 problem+json with Retry-After once the retries are spent, with no effect', async () => {
    const { orderId, first, second } = await orderOverTwoProducts();
    const key = randomUUID();
    const body = { reason: 'changed my mind' };

    const refused = await app.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`set local deadlock_timeout = '60s'`.execute(conn);
      await sql`select 1 from products where sku = ${second} for update`.execute(conn);
      const cancellation = tracked(call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body, idempotencyKey: key }));
      // Every attempt meets a fresh deadlock until the server gives up.
      while (!cancellation.settled()) {
        await eventually('the request waits again, or answered', async () =>
          cancellation.settled() !== undefined || (await sessionsWaitingForLocks(app.db)) >= 1);
        if (!cancellation.settled()) await deadlockOnce(conn, first);
      }
      await sql`commit`.execute(conn);
      return cancellation.pending;
    });

    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(refused.body)).not.toMatch(/deadlock|stack/i);
    expect(await stocks([first, second])).toEqual([9, 9]);
    expect(await cancellationEvents(orderId)).toBe(0);

    const retried = await call(app.url, 'POST', `/orders/${orderId}/cancellation`, { body, idempotencyKey: key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await stocks([first, second])).toEqual([10, 10]);
  });
});
