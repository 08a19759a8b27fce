import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredKeys } from '../../src/idempotency/store.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { sessionsWaitingForLocks } from '../support/lock-waits.js';
import { eventually } from '../support/poll.js';
import { OTHER_CLIENT_TOKEN, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
let sku: string;
beforeAll(async () => {
  app = await startTestRuntime();
  sku = await createProduct(app.url, { stock: 1000 });
});
afterAll(async () => {
  await app?.stop();
});

async function ordersOf(customerId: string) {
  return app.db.selectFrom('orders').select('id').where('customer_id', '=', customerId).execute();
}

describe('Idempotency-Key on commands', () => {
  it('replays the first response for the same key and body, and places one order', async () => {
    const key = randomUUID();
    const body = orderBody([{ sku, quantity: 3 }]);
    const first = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    const again = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await ordersOf(body.customerId)).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const key = randomUUID();
    const body = orderBody([{ sku }]);
    const first = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await call(app.url, 'POST', '/orders', { body: reordered, idempotencyKey: key });
    expect(again.status).toBe(201);
    expect(again.body.orderId).toBe(first.body.orderId);
  });

  it('rejects the same key with another body with 422, placing nothing more', async () => {
    const key = randomUUID();
    const body = orderBody([{ sku }]);
    await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    const other = await call(app.url, 'POST', '/orders', { body: { ...body, region: 'us-east' }, idempotencyKey: key });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(await ordersOf(body.customerId)).toHaveLength(1);
  });

  it('requires a key: 400 without one', async () => {
    const body = orderBody([{ sku }]);
    const response = await call(app.url, 'POST', '/orders', { body, idempotencyKey: null });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/Idempotency-Key/);
    expect(await ordersOf(body.customerId)).toHaveLength(0);
  });

  it('scopes keys per caller: another caller may use the same key', async () => {
    const key = randomUUID();
    const mine = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]), idempotencyKey: key });
    const theirs = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]), idempotencyKey: key, token: OTHER_CLIENT_TOKEN });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.orderId).not.toBe(mine.body.orderId);
  });

  it('forgets a key after its retention: it is purged, and may then be used afresh', async () => {
    const key = randomUUID();
    const first = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]), idempotencyKey: key });
    await app.db.updateTable('idempotency_keys').set({ expires_at: sql`now() - interval '1 second'` }).where('key', '=', key).execute();

    const reused = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }]), idempotencyKey: key });
    expect(reused.status).toBe(201);
    expect(reused.body.orderId).not.toBe(first.body.orderId);

    await app.db.updateTable('idempotency_keys').set({ expires_at: sql`now() - interval '1 second'` }).where('key', '=', key).execute();
    expect(await purgeExpiredKeys(app.db)).toBeGreaterThanOrEqual(1);
    const left = await app.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
    expect(left).toHaveLength(0);
  });

  it('answers 409 to the same key while the first request is still in flight', async () => {
    const blockedSku = await createProduct(app.url, { stock: 5 });
    const key = randomUUID();
    const body = orderBody([{ sku: blockedSku }]);
    // Hold the product's row lock so the first request stops mid-command, key claimed.
    const blocker = await app.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select 1 from products where sku = ${blockedSku} for update`.execute(conn);
      const first = call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
      await eventually('first request waits for the product lock', async () => (await sessionsWaitingForLocks(app.db)) >= 1);
      const second = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
      await sql`commit`.execute(conn);
      return { first: await first, second };
    });
    expect(blocker.second.status).toBe(409);
    expect(blocker.second.body.title).toMatch(/in progress/i);
    expect(blocker.first.status).toBe(201);
    const replay = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    expect(replay.body.orderId).toBe(blocker.first.body.orderId);
  });
});
