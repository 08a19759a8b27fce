import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { authorize, expectProblem, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { BOUND_CLIENT, startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const post = async (path: string, body: unknown, role: 'client' | 'support' | 'operator') => {
  const response = await call(app.url, 'POST', path, { body, role });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
};
const timeline = (orderId: string, role: 'client' | 'support' | 'operator' | null = 'support', token?: string) =>
  call(app.url, 'GET', `/orders/${orderId}/timeline`, token ? { token } : { role });

/** Drives one order through every kind of event over HTTP; returns its id and last version. */
async function fullLifecycle() {
  const { orderId, totalCents } = await placeOrderFor(app.url, { priceCents: 4_000, quantity: 2 });
  await authorize(app.url, orderId, totalCents);
  await post(`/orders/${orderId}/notes`, { text: 'customer asked for gift wrap' }, 'support');
  await post(`/orders/${orderId}/refunds`, { amountCents: 1_000, reason: 'late dispatch' }, 'support');
  await post(`/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'JD0042' }, 'operator');
  await post(`/orders/${orderId}/shipment-events`, { status: 'in_transit' }, 'operator');
  const opened = await post(`/orders/${orderId}/disputes`, { reason: 'never arrived' }, 'support');
  await post(`/orders/${orderId}/disputes/${opened.body.createdId}/resolution`, { outcome: 'rejected', comment: 'tracking shows delivery' }, 'support');
  const last = await post(`/orders/${orderId}/risk-flags`, { flag: 'chargeback-risk', reason: 'disputed' }, 'support');
  return { orderId, version: last.body.version as number, disputeId: opened.body.createdId as string };
}

function timelineAt(orderId: string, version: number) {
  return eventually(`timeline at version ${version}`, async () => {
    const r = await timeline(orderId);
    return r.status === 200 && r.body.freshness.sourceVersion === version ? r : undefined;
  });
}

describe('GET /orders/{id}/timeline', () => {
  it('shows one entry per event of a whole lifecycle, in version order, with what an agent needs', async () => {
    const { orderId, version, disputeId } = await fullLifecycle();

    const { body } = await timelineAt(orderId, version);

    expect(version).toBe(9);
    expect(body.orderId).toBe(orderId);
    expect(body.entries.map((e: { version: number; type: string }) => `${e.version} ${e.type}`)).toEqual([
      '1 OrderPlaced', '2 PaymentAuthorized', '3 NoteAdded', '4 RefundIssued', '5 OrderShipped',
      '6 ShipmentStatusChanged', '7 DisputeOpened', '8 DisputeResolved', '9 RiskFlagged',
    ]);
    expect(body.entries[0]).toMatchObject({ totalCents: 8_000, currency: 'USD', lines: [expect.objectContaining({ quantity: 2, unitPriceCents: 4_000 })] });
    expect(body.entries[1]).toMatchObject({ provider: 'stripe', amountCents: 8_000 });
    expect(body.entries[2]).toMatchObject({ text: 'customer asked for gift wrap', actor: expect.stringMatching(/^support:/) });
    expect(body.entries[3]).toMatchObject({ amountCents: 1_000, reason: 'late dispatch', refundState: 'partial' });
    expect(body.entries[4]).toMatchObject({ carrier: 'DHL', trackingNumber: 'JD0042' });
    expect(body.entries[5]).toMatchObject({ from: 'shipped', status: 'in_transit' });
    expect(body.entries[7]).toMatchObject({ disputeId, outcome: 'rejected', comment: 'tracking shows delivery' });
    expect(body.entries[8]).toMatchObject({ flag: 'chargeback-risk', reason: 'disputed' });
    expect(body.entries.filter((e: { actor?: string }) => e.actor !== undefined)).toHaveLength(1);
    expect(JSON.stringify(body)).not.toMatch(/example\.com|\+14155550123|Ada Lovelace/);
  });

  it('answers with the order\'s freshness and the read model\'s checkpoint', async () => {
    const { orderId } = await placeOrderFor(app.url);
    const placed = await app.db.selectFrom('outbox_events').select(['event_id', 'occurred_at']).where('aggregate_id', '=', orderId).executeTakeFirstOrThrow();

    const { body, headers } = await timelineAt(orderId, 1);

    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.freshness).toMatchObject({ sourceVersion: 1, lastEventId: placed.event_id, lastEventAt: placed.occurred_at.toISOString() });
    expect(body.freshness.lagMs).toBe(Date.parse(body.freshness.projectedAt) - Date.parse(body.freshness.lastEventAt));
    expect(body.freshness.checkpoint).toEqual({ position: expect.any(Number), lagEvents: expect.any(Number), lagMs: expect.any(Number) });
    expect(body.freshness.checkpoint.position).toBeGreaterThanOrEqual(1);
  });

  it('is for support and operators only: clients, bound or not, get 403 and no token gets 401', async () => {
    const { orderId } = await placeOrderFor(app.url);
    await timelineAt(orderId, 1);

    expect((await timeline(orderId, 'operator')).status).toBe(200);
    expectProblem(await timeline(orderId, 'client'), 403);
    expectProblem(await timeline(orderId, null, BOUND_CLIENT.token), 403);
    expectProblem(await timeline(orderId, null), 401);
  });

  it('answers 404 for an order it does not know and 400 for a bad id or an unknown parameter', async () => {
    const unknown = await timeline(randomUUID());
    const badId = await call(app.url, 'GET', '/orders/not-a-uuid/timeline', { role: 'support' });
    const unknownParam = await call(app.url, 'GET', `/orders/${randomUUID()}/timeline?limit=5`, { role: 'support' });

    expectProblem(unknown, 404);
    expect(unknown.body.type).toMatch(/\/order-not-found$/);
    expectProblem(badId, 400);
    expect(JSON.stringify(badId.body)).toContain('id');
    expectProblem(unknownParam, 400);
    expect(JSON.stringify(unknownParam.body)).toContain('limit');
  });
});

describe('GET /orders/{id}/timeline with minVersion and waitMs', () => {
  it('waits for the version a command just answered, woken by the projection', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    await timelineAt(orderId, 1);
    await app.stopRelay();
    const paid = await authorize(app.url, orderId, totalCents);
    expect(paid.body.version).toBe(2);
    const waiting = call(app.url, 'GET', `/orders/${orderId}/timeline?minVersion=2&waitMs=5000`, { role: 'support' });
    await app.startRelay();
    const response = await waiting;
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.entries.map((e: { type: string }) => e.type)).toEqual(['OrderPlaced', 'PaymentAuthorized']);
    expect(response.body.freshness).toMatchObject({ sourceVersion: 2 });
    expect(response.body.freshness).not.toHaveProperty('stale');
  });

  it('answers what it has, marked stale, when the version does not arrive within waitMs', async () => {
    const { orderId, totalCents } = await placeOrderFor(app.url);
    await timelineAt(orderId, 1);
    await app.stopRelay();
    try {
      await authorize(app.url, orderId, totalCents);
      const response = await call(app.url, 'GET', `/orders/${orderId}/timeline?minVersion=2&waitMs=200`, { role: 'operator' });
      expect(response.status).toBe(200);
      expect(response.body.entries).toHaveLength(1);
      expect(response.body.freshness).toMatchObject({ sourceVersion: 1, stale: true });
    } finally {
      await app.startRelay();
    }
  });

  it('tells an order the write side has from one nobody has', async () => {
    await app.stopRelay();
    try {
      const { orderId } = await placeOrderFor(app.url);
      const pending = await call(app.url, 'GET', `/orders/${orderId}/timeline?waitMs=100`, { role: 'support' });
      expectProblem(pending, 404);
      expect(pending.body.type).toMatch(/\/not-yet-visible$/);
      expect(pending.headers.get('retry-after')).toBe('1');
      const unknown = await call(app.url, 'GET', `/orders/${randomUUID()}/timeline`, { role: 'support' });
      expectProblem(unknown, 404);
      expect(unknown.body.type).toMatch(/\/order-not-found$/);
      expect(unknown.headers.get('retry-after')).toBeNull();
    } finally {
      await app.startRelay();
    }
  });

  it('refuses a wait above 5000 ms instead of clamping it', async () => {
    const response = await call(app.url, 'GET', `/orders/${randomUUID()}/timeline?waitMs=5001`, { role: 'support' });
    expectProblem(response, 400);
    expect(JSON.stringify(response.body)).toMatch(/waitMs/);
  });
});
