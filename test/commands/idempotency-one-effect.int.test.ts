import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
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

async function stockOf(sku: string): Promise<number> {
  const row = await app.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirstOrThrow();
  return row.stock;
}

async function ordersOf(customerId: string) {
  return app.db.selectFrom('orders').select('id').where('customer_id', '=', customerId).execute();
}

/** Settles to the response once it arrives; `undefined` while still waiting. */
function tracked(pending: Promise<HttpResult>) {
  let settled: HttpResult | undefined;
  void pending.then((r) => (settled = r));
  return { pending, settled: () => settled };
}

describe('one Idempotency-Key, at most one effect', () => {
  it('places one order when a retry arrives after the first attempt outlived any lease', async () => {
    const sku = await createProduct(app.url, { stock: 5 });
    const key = randomUUID();
    const body = orderBody([{ sku, quantity: 1 }]);

    const { first, retry } = await app.db.connection().execute(async (conn) => {
      // Another session holds the product's row lock: the first attempt stalls mid-command.
      await sql`begin`.execute(conn);
      await sql`select 1 from products where sku = ${sku} for update`.execute(conn);
      const first = call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
      await eventually('the first attempt waits for the product lock', async () => (await sessionsWaitingForLocks(app.db)) >= 1);
      // However long a claim is honoured, this one has now run out: no waiting 60 s for it.
      await app.db.updateTable('idempotency_keys').set({ locked_until: sql`now() - interval '1 second'` }).where('key', '=', key).execute();
      const retry = tracked(call(app.url, 'POST', '/orders', { body, idempotencyKey: key }));
      // The retry either answers at once, or runs the command again and stalls behind the lock too.
      await eventually('the retry answered or stalled', async () => retry.settled() ?? (await sessionsWaitingForLocks(app.db)) >= 2);
      await sql`commit`.execute(conn);
      return { first: await first, retry: await retry.pending };
    });

    expect(first.status).toBe(201);
    expect(await ordersOf(body.customerId)).toEqual([{ id: first.body.orderId }]);
    expect(await stockOf(sku)).toBe(4);
    if (retry.status === 201) expect(retry.body.orderId).toBe(first.body.orderId);
    else expect(retry.status).toBe(409);
    const replay = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    expect(replay.status).toBe(201);
    expect(replay.body.orderId).toBe(first.body.orderId);
  });

  it('answers 409 with Retry-After while the first attempt may still commit, however long it runs', async () => {
    const sku = await createProduct(app.url, { stock: 5 });
    const key = randomUUID();
    const body = orderBody([{ sku }]);
    const { first, second } = await app.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select 1 from products where sku = ${sku} for update`.execute(conn);
      const first = call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
      await eventually('the first attempt waits for the product lock', async () => (await sessionsWaitingForLocks(app.db)) >= 1);
      await app.db.updateTable('idempotency_keys').set({ locked_until: sql`now() - interval '1 second'` }).where('key', '=', key).execute();
      const second = tracked(call(app.url, 'POST', '/orders', { body, idempotencyKey: key }));
      try {
        // Answered while the first attempt is still stuck: it must neither wait for it nor run again.
        await eventually('the second attempt answered while the first still runs', async () => second.settled(), 5_000);
      } finally {
        await sql`commit`.execute(conn);
      }
      return { first: await first, second: await second.pending };
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.headers.get('retry-after')).toBe('1');
  });

  it('stores a refusal under its key once: a retry replays it even after stock came back', async () => {
    const sku = await createProduct(app.url, { stock: 1 });
    const key = randomUUID();
    const body = orderBody([{ sku, quantity: 2 }]);
    const refused = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    await call(app.url, 'PUT', `/products/${sku}`, { role: 'operator', body: { name: 'Restocked', priceCents: 1250, currency: 'USD', stock: 10 } });
    const retry = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    expect(refused.status).toBe(409);
    expect(retry.status).toBe(409);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(refused.body);
    expect(await ordersOf(body.customerId)).toHaveLength(0);
    expect(await stockOf(sku)).toBe(10);
  });
});
