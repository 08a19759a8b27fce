import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/config.js';
import { createProduct, orderBody } from '../../support/fixtures.js';
import { call, type HttpResult } from '../../support/http.js';
import { expectProblem } from '../../support/orders.js';
import { eventually } from '../../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../../support/test-runtime.js';

let app: TestRuntime;
let sku: string;
const n = randomUUID().slice(0, 6);

/** Four customers whose orders differ in every way the search can filter. */
const people = {
  zoe: { customerId: `zoe-${n}`, customer: { email: `zoe.${n}@example.com`, phone: '+14155550123', name: 'Zoë Ångström' }, region: 'eu-west', paymentProvider: 'stripe' },
  ada: { customerId: `ada-${n}`, customer: { email: `Ada.Lovelace.${n}@Example.com`, phone: '+4915112345678', name: 'Ada Lovelace' }, region: 'us-east', paymentProvider: 'adyen' },
  grace: { customerId: `grace-${n}`, customer: { email: `grace.${n}@example.org`, phone: '+442071234567', name: 'Grace Hopper' }, region: 'eu-west', paymentProvider: 'stripe' },
  alan: { customerId: `alan-${n}`, customer: { email: `alan.${n}@example.net`, phone: '+12125550199', name: 'Alan Turing' }, region: 'ap-south', paymentProvider: 'stripe' },
};
const ids = {} as Record<keyof typeof people, string>;
let between: string;

const post = (path: string, body: unknown, role: Role = 'client') => call(app.url, 'POST', path, { body, role });

async function place(who: keyof typeof people): Promise<{ orderId: string; totalCents: number }> {
  const placed = await post('/orders', orderBody([{ sku }], people[who]));
  if (placed.status !== 201) throw new Error(`place: ${placed.status} ${JSON.stringify(placed.body)}`);
  return placed.body;
}

async function pay(orderId: string, totalCents: number, provider: string): Promise<void> {
  const paid = await post(`/orders/${orderId}/payment-authorizations`, { provider, reference: `ref-${n}`, amountCents: totalCents });
  if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
}

/**
 * Waits until support search shows every order at its current version: applied events become
 * findable at the index's next refresh (within a second), so the wait is on the answers themselves.
 */
async function caughtUp(): Promise<void> {
  await eventually('every order searchable at its version', async () => {
    const orders = await app.db.selectFrom('orders').select(['id', 'version']).execute();
    const response = await search('placedFrom=2000-01-01T00:00:00Z&limit=100');
    const seen = new Map((response.body.results as Array<{ orderId: string; freshness: { sourceVersion: number } }>).map((r) => [r.orderId, r.freshness.sourceVersion]));
    return orders.every((o) => seen.get(o.id) === o.version);
  });
}

beforeAll(async () => {
  app = await startTestRuntime();
  sku = await createProduct(app.url, { priceCents: 2_000, stock: 1_000 });
  const zoe = await place('zoe');
  ids.zoe = zoe.orderId;
  await pay(zoe.orderId, zoe.totalCents, 'stripe');
  await post(`/orders/${zoe.orderId}/shipments`, { carrier: 'DHL', trackingNumber: `JD${n}` }, 'operator');
  await post(`/orders/${zoe.orderId}/shipment-events`, { status: 'in_transit' }, 'operator');
  await post(`/orders/${zoe.orderId}/notes`, { text: 'Caller insisted: status:placed OR 1' }, 'support');
  const ada = await place('ada');
  ids.ada = ada.orderId;
  await pay(ada.orderId, ada.totalCents, 'adyen');
  await post(`/orders/${ada.orderId}/refunds`, { amountCents: 500, reason: 'scratched' }, 'support');
  await post(`/orders/${ada.orderId}/disputes`, { reason: 'never arrived' }, 'support');
  await post(`/orders/${ada.orderId}/risk-flags`, { flag: 'chargeback-risk', reason: 'disputed' }, 'support');
  await new Promise((resolve) => setImmediate(resolve));
  between = new Date().toISOString();
  ids.grace = (await place('grace')).orderId;
  ids.alan = (await place('alan')).orderId;
  await post(`/orders/${ids.alan}/cancellation`, { reason: 'changed mind' });
  await caughtUp();
});
afterAll(async () => {
  await app?.stop();
});

const search = (query: string, role: Role = 'support') => call(app.url, 'GET', `/support/search?${query}`, { role });

/** The order ids a search finds, as a set of names. */
async function found(query: string): Promise<string[]> {
  const response = await search(query);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return (response.body.results as Array<{ orderId: string }>).map((r) => byId.get(r.orderId) ?? r.orderId).sort();
}

describe('filters of GET /support/search', () => {
  it.each([
    ['email, whatever its case', () => `email=${encodeURIComponent(`ada.lovelace.${n}@EXAMPLE.com`)}`, ['ada']],
    ['the full phone number', () => `phone=${encodeURIComponent('+442071234567')}`, ['grace']],
    ['the last 4 digits of the phone', () => 'phone=0123', ['zoe']],
    ['the last 7 digits of the phone', () => 'phone=5550199', ['alan']],
    ['customerId', () => `customerId=zoe-${n}`, ['zoe']],
    ['status', () => 'status=placed', ['grace']],
    ['paymentState', () => 'paymentState=voided', []],
    ['paymentState pending', () => 'paymentState=pending', ['alan', 'grace']],
    ['refundState', () => 'refundState=partial', ['ada']],
    ['carrier', () => 'carrier=DHL', ['zoe']],
    ['shipmentStatus', () => 'shipmentStatus=in_transit', ['zoe']],
    ['region', () => 'region=eu-west', ['grace', 'zoe']],
    ['paymentProvider', () => 'paymentProvider=adyen', ['ada']],
    ['riskFlag', () => 'riskFlag=chargeback-risk', ['ada']],
    ['openDispute=true', () => 'openDispute=true', ['ada']],
    ['openDispute=false', () => 'openDispute=false', ['alan', 'grace', 'zoe']],
    ['placedFrom', () => `placedFrom=${encodeURIComponent(between)}`, ['alan', 'grace']],
    ['placedTo', () => `placedTo=${encodeURIComponent(between)}`, ['ada', 'zoe']],
    ['several filters at once', () => 'region=eu-west&status=shipped&carrier=DHL', ['zoe']],
  ])('finds orders by %s', async (_name, query, expected) => {
    expect(await found(query())).toEqual(expected);
  });
});

describe('free text q', () => {
  it.each([
    ['zoe', ['zoe']], ['ZOË', ['zoe']], ['angstrom', ['zoe']], ['Ångst', ['zoe']],
    ['lovelace', ['ada']], ['ada lovelace', ['ada']], [`example.org`, ['grace']], ['insisted', ['zoe']],
  ])('finds %s whatever its case and accents, in names, emails and notes', async (q, expected) => {
    expect(await found(`q=${encodeURIComponent(q)}`)).toEqual(expected);
  });

  it('treats query syntax as plain text', async () => {
    expect(await found(`q=${encodeURIComponent('*:*')}`)).toEqual([]);
    expect(await found(`q=${encodeURIComponent('status:placed OR 1')}`)).toEqual(['zoe']); // the note, not every placed order
    expect(await found(`q=${encodeURIComponent('grace OR zoe')}`)).toEqual([]);
  });
});

describe('answers', () => {
  it('counts every match per status, payment state, refund state and carrier', async () => {
    const response = await search('openDispute=false&limit=1');
    expect(response.body.facets).toEqual({
      status: { placed: 1, authorized: 0, shipped: 1, delivered: 0, lost: 0, cancelled: 1 },
      paymentState: { pending: 2, authorized: 1, declined: 0, voided: 0 },
      refundState: { none: 3, partial: 0, full: 0 },
      carrier: { DHL: 1 },
    });
    expect(response.body).toMatchObject({ count: 1, total: 3 });
  });

  it.each(['support', 'operator'] as const)('masks email and phone for %s, and carries freshness', async (role) => {
    const response = await search(`customerId=zoe-${n}`, role);
    const [hit] = response.body.results;
    expect(hit).toMatchObject({
      orderId: ids.zoe, customerId: `zoe-${n}`, email: 'z***@example.com', phone: '+1******0123', customerName: 'Zoë Ångström',
      status: 'shipped', paymentState: 'authorized', refundState: 'none', shipmentCarrier: 'DHL', shipmentStatus: 'in_transit',
      freshness: { sourceVersion: 5, lastEventId: expect.any(String), lastEventAt: expect.any(String), projectedAt: expect.any(String), lagMs: expect.any(Number) },
    });
    expect(Object.keys(hit)).not.toEqual(expect.arrayContaining(['notes']));
    expect(JSON.stringify(response.body)).not.toMatch(new RegExp(`zoe\\.${n}|4155550123|searchText|phoneDigitsReversed`));
    expect(response.body.freshness).toEqual({ position: expect.any(Number), lagEvents: 0, lagMs: 0 });
  });

  it('reveals email and phone with a reason, and audits each returned order without the data', async () => {
    const response = await search(`region=eu-west&reveal=true&reason=${encodeURIComponent('ticket 4711: customer verified')}`);
    expect(response.body.results.map((r: { email: string }) => r.email).sort()).toEqual([`grace.${n}@example.org`, `zoe.${n}@example.com`]);
    expect(response.body.results.map((r: { phone: string }) => r.phone).sort()).toEqual(['+14155550123', '+442071234567']);

    const rows = await app.db.selectFrom('personal_data_reveals').selectAll().where('reason', '=', 'ticket 4711: customer verified').execute();
    expect(rows.map((r) => r.order_id).sort()).toEqual([ids.grace, ids.zoe].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ caller_id: expect.stringMatching(/^support:/), revealed_at: expect.any(Date) });
      expect(JSON.stringify(row)).not.toMatch(new RegExp(`${n}@|4155550123|2071234567|Zo|Grace`));
    }
  });

  it('writes no audit row when nothing is revealed', async () => {
    const before = await app.db.selectFrom('personal_data_reveals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await search(`customerId=grace-${n}`);
    await search(`customerId=nobody-${n}&reveal=true&reason=checking`);
    const after = await app.db.selectFrom('personal_data_reveals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('is closed to client tokens, bound or not', async () => {
    expectProblem(await search(`customerId=zoe-${n}`, 'client'), 403);
    const bound = await call(app.url, 'GET', `/support/search?customerId=${BOUND_CLIENT.customerId}`, { token: BOUND_CLIENT.token });
    expectProblem(bound, 403);
  });
});

describe('paging with cursor', () => {
  /** Follows nextCursor from `cursor` to the last page. */
  async function pages(query: string, start: string): Promise<{ ids: string[]; sizes: number[] }> {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = start;
    do {
      const response: HttpResult = await search(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      seen.push(...response.body.results.map((r: { orderId: string }) => r.orderId));
      sizes.push(response.body.count);
      cursor = response.body.nextCursor;
    } while (cursor);
    return { ids: seen, sizes };
  }

  it('walks every match once, newest first, and new orders do not shift later pages', async () => {
    const customer = { ...people.grace, customerId: `pager-${n}` };
    for (let i = 0; i < 5; i++) await post('/orders', orderBody([{ sku }], customer));
    await caughtUp();
    const all = await search(`customerId=pager-${n}&limit=100`);

    const first = await search(`customerId=pager-${n}&limit=2`);
    await post('/orders', orderBody([{ sku }], customer));
    await caughtUp();
    const rest = await pages(`customerId=pager-${n}&limit=2`, first.body.nextCursor);

    const walked = [...first.body.results.map((r: { orderId: string }) => r.orderId), ...rest.ids];
    expect(walked).toEqual(all.body.results.map((r: { orderId: string }) => r.orderId));
    expect(new Set(walked).size).toBe(5);
    expect(rest.sizes).toEqual([2, 1]);
    const placedAt = all.body.results.map((r: { placedAt: string }) => r.placedAt);
    expect([...placedAt].sort().reverse()).toEqual(placedAt);
  });
});
