import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult, type RequestOptions } from '../support/http.js';
import { expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

/** A request made with the customer-bound client token. */
const asBound = (method: string, path: string, options: RequestOptions = {}) =>
  call(app.url, method, path, { ...options, token: BOUND_CLIENT.token });

async function placeOwnOrder(): Promise<{ orderId: string; totalCents: number }> {
  const sku = await createProduct(app.url, { priceCents: 2_500 });
  const placed = await asBound('POST', '/orders', { body: orderBody([{ sku }], { customerId: BOUND_CLIENT.customerId }) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body;
}

/** Waits until the order is in order_summary, read with an unbound client token. */
async function projected(orderId: string): Promise<void> {
  await eventually(`order ${orderId} projected`, async () => (await call(app.url, 'GET', `/orders/${orderId}`)).status === 200);
}

/**
 * Everything a caller can observe of an answer, with the order id it asked about made generic
 * and without the per-request traceId.
 */
function observable(response: HttpResult, orderId: string) {
  const { traceId: _perRequest, ...body } = typeof response.body === 'object' ? response.body : { text: response.body };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    etag: response.headers.get('etag'),
    replayed: response.headers.get('idempotent-replayed'),
    body: JSON.stringify(body).replaceAll(orderId, '<order>'),
  };
}

async function writeSideOf(orderId: string) {
  const order = await app.db.selectFrom('orders').select(['status', 'version']).where('id', '=', orderId).executeTakeFirstOrThrow();
  const events = await app.db.selectFrom('outbox_events').select('event_type').where('aggregate_id', '=', orderId).execute();
  return { ...order, events: events.map((e) => e.event_type) };
}

const commands = [
  { name: 'payment authorization', path: 'payment-authorizations', body: (amountCents: number) => ({ provider: 'stripe', reference: 'pi_1', amountCents }) },
  { name: 'cancellation', path: 'cancellation', body: () => ({ reason: 'changed my mind' }) },
];

describe('a customer-bound client token placing orders', () => {
  it('places and then reads an order for its own customer', async () => {
    const { orderId } = await placeOwnOrder();
    const read = await eventually('own order readable', async () => {
      const response = await asBound('GET', `/orders/${orderId}`);
      return response.status === 200 ? response : undefined;
    });
    expect(read.body).toMatchObject({ orderId, customerId: BOUND_CLIENT.customerId, status: 'placed' });
  });

  it('gets 403 for another customer, writes nothing and leaves the Idempotency-Key unused', async () => {
    const sku = await createProduct(app.url, { stock: 5 });
    const key = randomUUID();
    const foreign = orderBody([{ sku }], { customerId: 'cust-someone-else' });
    const refused = await asBound('POST', '/orders', { body: foreign, idempotencyKey: key });
    expectProblem(refused, 403);
    expect(refused.body).toMatchObject({ status: 403, code: 'customer_mismatch' });
    const written = await app.db.selectFrom('orders').select('id').where('customer_id', '=', 'cust-someone-else').execute();
    expect(written).toEqual([]);
    const stock = await app.db.selectFrom('products').select('stock').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(stock.stock).toBe(5);

    // The same key still works for the request the token is allowed to make.
    const own = await asBound('POST', '/orders', { body: { ...foreign, customerId: BOUND_CLIENT.customerId }, idempotencyKey: key });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('a customer-bound client token reading orders', () => {
  it("gets for another customer's order exactly the 404 of an unknown id, also with If-None-Match", async () => {
    const { orderId } = await placeOrderFor(app.url);
    await projected(orderId);
    const unknownId = randomUUID();
    for (const headers of [{}, { 'if-none-match': '*' }] as Array<Record<string, string>>) {
      const foreign = await asBound('GET', `/orders/${orderId}`, { headers });
      const unknown = await asBound('GET', `/orders/${unknownId}`, { headers });
      expectProblem(foreign, 404);
      expect(observable(foreign, orderId)).toEqual(observable(unknown, unknownId));
    }
  });

  it('leaves unbound client tokens reading any order', async () => {
    const { orderId } = await placeOwnOrder();
    await projected(orderId);
  });
});

describe("a customer-bound client token acting on another customer's order", () => {
  it.each(commands)('gets for a $name the 404 of an unknown order, first time and on replay, and nothing changes', async (command) => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    const unknownId = randomUUID();
    const before = await writeSideOf(orderId);
    const [foreignKey, unknownKey] = [randomUUID(), randomUUID()];
    const attempt = (id: string, key: string, headers: Record<string, string> = {}) =>
      asBound('POST', `/orders/${id}/${command.path}`, { body: command.body(totalCents), idempotencyKey: key, headers });

    for (const round of ['first', 'replay']) {
      const foreign = await attempt(orderId, foreignKey);
      const unknown = await attempt(unknownId, unknownKey);
      expectProblem(foreign, 404);
      expect(observable(foreign, orderId), round).toEqual(observable(unknown, unknownId));
    }
    // A version precondition does not reveal the order either: still 404, never 412.
    const conditional = await attempt(orderId, randomUUID(), { 'if-match': '"999"' });
    expect(observable(conditional, orderId)).toEqual(observable(await attempt(unknownId, randomUUID(), { 'if-match': '"999"' }), unknownId));
    expect(await writeSideOf(orderId)).toEqual(before);
  });

  it('answers at once while another transaction holds that order: it neither locks nor waits for it', async () => {
    const { orderId } = await placeOrderFor(app.url);
    await app.db.transaction().execute(async (trx) => {
      await trx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().execute();
      const cancel = asBound('POST', `/orders/${orderId}/cancellation`, { body: { reason: 'mine?' } });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'still waiting'>((resolve) => (timer = setTimeout(resolve, 10_000, 'still waiting')));
      const answer = await Promise.race([cancel, deadline]).finally(() => clearTimeout(timer));
      expect(answer).not.toBe('still waiting');
      expectProblem(answer as HttpResult, 404);
    });
  });

  it('still authorizes and cancels its own orders', async () => {
    const paid = await placeOwnOrder();
    const authorized = await asBound('POST', `/orders/${paid.orderId}/payment-authorizations`, { body: commands[0]!.body(paid.totalCents) });
    expect(authorized.status, JSON.stringify(authorized.body)).toBe(200);
    expect(authorized.body).toMatchObject({ status: 'authorized' });
    const cancelled = await asBound('POST', `/orders/${paid.orderId}/cancellation`, { body: { reason: 'changed my mind' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
  });

  it('gets the role 403 before anything else on routes a client may not use, whoever owns the order', async () => {
    const own = await placeOwnOrder();
    const { orderId } = await placeOrderFor(app.url);
    const answers = [];
    for (const id of [own.orderId, orderId, randomUUID()]) {
      const refund = await asBound('POST', `/orders/${id}/refunds`, { body: { amountCents: 1, reason: 'x' } });
      expectProblem(refund, 403);
      answers.push(observable(refund, id));
    }
    expect(answers[0]!.body).toContain('roles');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});
