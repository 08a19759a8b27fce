import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
import { authorize, expectProblem } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
let sku: string;
beforeAll(async () => {
  app = await startTestRuntime();
  sku = await createProduct(app.url, { priceCents: 1_000, stock: 10_000 });
});
afterAll(async () => {
  await app?.stop();
});

const history = (customerId: string, query = '', options: Parameters<typeof call>[3] = {}) =>
  call(app.url, 'GET', `/customers/${encodeURIComponent(customerId)}/orders${query}`, options);

async function place(customerId: string, token?: string): Promise<string> {
  const placed = await call(app.url, 'POST', '/orders', { body: orderBody([{ sku }], { customerId }), ...(token ? { token } : {}) });
  if (placed.status !== 201) throw new Error(`place order failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  return placed.body.orderId as string;
}

/** Places `n` orders, a few at a time (orders in the same millisecond test the keyset's tie-break). */
async function placeMany(customerId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    ids.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => place(customerId))));
  }
  return ids;
}

async function outboxEvents(): Promise<number> {
  return Number((await app.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/** Waits until the history has applied every event written so far, as its own answer says. */
async function historyAtHead(customerId: string): Promise<void> {
  const head = await outboxEvents();
  await eventually('customer history at the head', async () => {
    const r = await history(customerId, '?limit=1', { role: 'support' });
    return r.status === 200 && r.body.freshness.position >= head;
  }, 60_000);
}

const sortKey = (item: { placedAt: string; orderId: string }) => `${item.placedAt} ${item.orderId}`;

async function authorizeAll(orderIds: string[]): Promise<void> {
  for (const id of orderIds) {
    const r = await authorize(app.url, id, 1_000);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
}

describe('GET /customers/{customerId}/orders', () => {
  it('pages through 250 orders newest first, each exactly once, while statuses change between pages', async () => {
    const customerId = `cust-many-${randomUUID().slice(0, 8)}`;
    const placed = await placeMany(customerId, 250);
    await historyAtHead(customerId);

    const idsOf = (r: HttpResult) => r.body.items.map((i: { orderId: string }) => i.orderId) as string[];
    const page1 = await history(customerId, '?limit=100');
    const changedAfterPage1 = [...idsOf(page1).slice(0, 5), ...placed.filter((id) => !idsOf(page1).includes(id)).slice(0, 5)];
    await authorizeAll(changedAfterPage1);
    await historyAtHead(customerId);
    const page2 = await history(customerId, `?limit=100&cursor=${page1.body.nextCursor}`);
    const read = [...idsOf(page1), ...idsOf(page2)];
    const untouched = (id: string) => !changedAfterPage1.includes(id);
    const changedAfterPage2 = [
      ...idsOf(page2).filter(untouched).slice(0, 5),
      ...placed.filter((id) => !read.includes(id) && untouched(id)).slice(0, 5),
    ];
    await authorizeAll(changedAfterPage2);
    await historyAtHead(customerId);
    const page3 = await history(customerId, `?cursor=${page2.body.nextCursor}&limit=100`);

    const pages = [page1, page2, page3];
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(pages.map((p) => p.body.items.length)).toEqual([100, 100, 50]);
    expect(page3.body.nextCursor).toBeNull();
    const items = pages.flatMap((p) => p.body.items);
    expect(items.map((i) => i.orderId).sort()).toEqual([...placed].sort());
    expect(items.map(sortKey)).toEqual(items.map(sortKey).sort().reverse());
    // Each page shows the statuses of when it was read: later pages show changes made since.
    const statusOf = (id: string) => items.find((i) => i.orderId === id)!.status;
    expect(changedAfterPage1.map(statusOf)).toEqual([...Array(5).fill('placed'), ...Array(5).fill('authorized')]);
    expect(changedAfterPage2.map(statusOf)).toEqual([...Array(5).fill('placed'), ...Array(5).fill('authorized')]);
  }, 240_000);

  it('answers each order\'s summary and freshness, the checkpoint, and no contact data', async () => {
    const customerId = `cust-one-${randomUUID().slice(0, 8)}`;
    const orderId = await place(customerId);
    await authorizeAll([orderId]);
    await historyAtHead(customerId);

    const read = await history(customerId);

    expect(read.status).toBe(200);
    expect(read.body.freshness).toEqual({ position: await outboxEvents(), lagEvents: 0, lagMs: 0 });
    expect(read.body.nextCursor).toBeNull();
    expect(read.body.items).toHaveLength(1);
    const [item] = read.body.items;
    expect(item).toMatchObject({
      orderId, status: 'authorized', paymentState: 'authorized', refundState: 'none', totalCents: 1_000, refundedCents: 0,
      currency: 'USD', region: 'eu-west', paymentProvider: 'stripe', itemCount: 1, shipment: null,
      freshness: { sourceVersion: 2 },
    });
    expect(Date.parse(item.freshness.projectedAt)).toBeGreaterThanOrEqual(Date.parse(item.freshness.lastEventAt));
    expect(item.freshness.lagMs).toBe(Date.parse(item.freshness.projectedAt) - Date.parse(item.freshness.lastEventAt));
    expect(JSON.stringify(read.body)).not.toMatch(/@example\.com|\+1415|Ada/);
  });

  it('answers an unknown customer with an empty page, to every role', async () => {
    for (const role of ['client', 'support', 'operator'] as const) {
      const read = await history(`nobody-${randomUUID()}`, '', { role });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ items: [], nextCursor: null, freshness: { position: expect.any(Number) } });
    }
    expectProblem(await history('nobody', '', { role: null }), 401);
  });
});

describe('a customer-bound token', () => {
  it('reads its own history, and another customer\'s answers 404 exactly like a customer that does not exist', async () => {
    const own = await place(BOUND_CLIENT.customerId, BOUND_CLIENT.token);
    const other = `cust-other-${randomUUID().slice(0, 8)}`;
    await place(other);
    await historyAtHead(other);

    const mine = await history(BOUND_CLIENT.customerId, '', { token: BOUND_CLIENT.token });
    const theirs = await history(other, '', { token: BOUND_CLIENT.token });
    const nobody = await history(`nobody-${randomUUID()}`, '', { token: BOUND_CLIENT.token });

    expect(mine.body.items.map((i: { orderId: string }) => i.orderId)).toEqual([own]);
    expectProblem(theirs, 404);
    expectProblem(nobody, 404);
    const { traceId: _t1, ...theirsProblem } = theirs.body;
    const { traceId: _t2, ...nobodyProblem } = nobody.body;
    expect(theirsProblem).toEqual(nobodyProblem);
    expect((await history(other, '', { role: 'support' })).body.items).toHaveLength(1);
  });
});

describe('bad input', () => {
  const fieldsOf = (r: HttpResult) => (r.body.errors as Array<{ field: string }>).map((e) => e.field);

  it.each([['101'], ['0'], ['-1'], ['1.5'], ['ten'], ['']])('refuses limit=%s with 400 naming limit, never clamping', async (limit) => {
    const r = await history('c-42', `?limit=${limit}`);
    expectProblem(r, 400);
    expect(fieldsOf(r)).toEqual(['limit']);
  });

  it.each([['garbage', 'not-a-cursor'], ['base64 of other JSON', Buffer.from('{"after":1}').toString('base64url')], ['empty', '']])(
    'refuses a %s cursor with 400 naming cursor', async (_what, cursor) => {
      const r = await history('c-42', `?cursor=${cursor}`);
      expectProblem(r, 400);
      expect(fieldsOf(r)).toEqual(['cursor']);
    });

  it('refuses a cursor of another customer\'s history', async () => {
    const customerId = `cust-two-${randomUUID().slice(0, 8)}`;
    await placeMany(customerId, 2);
    await historyAtHead(customerId);
    const first = await history(customerId, '?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const r = await history('c-42', `?cursor=${first.body.nextCursor}`);

    expectProblem(r, 400);
    expect(fieldsOf(r)).toEqual(['cursor']);
  });

  it('refuses unknown query parameters and a blank customer id', async () => {
    const unknown = await history('c-42', '?status=placed');
    expectProblem(unknown, 400);
    expect(fieldsOf(unknown)).toEqual(['status']);
    const blank = await history(' ');
    expectProblem(blank, 400);
    expect(fieldsOf(blank)).toEqual(['customerId']);
  });
});
