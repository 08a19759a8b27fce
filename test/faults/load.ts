import { randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult, type RequestOptions } from '../support/http.js';
import { between } from './seeds.js';

/** Each order of the load goes through four commands: place, authorize, ship or cancel, note. */
export const EVENTS_PER_ORDER = 4;
const RETRY_DEADLINE_MS = 120_000;
const RETRY_PAUSE_MS = 200;

export interface LoadTally {
  orders: string[];
  /** Requests sent again with the same Idempotency-Key after a lost connection, a 409 in flight or a 5xx. */
  retries: number;
  /** The answers that made the client retry, by status (`connection` when none came). */
  refusals?: Record<string, number>;
  /** Per order, the highest version a 2xx answer reported: all of it must survive any fault. */
  acknowledged?: Map<string, number>;
}

export function emptyTally(): Required<LoadTally> {
  return { orders: [], retries: 0, refusals: {}, acknowledged: new Map() };
}

function noteRefusal(tally: LoadTally, result: HttpResult | Error): void {
  const key = result instanceof Error ? 'connection' : String(result.status);
  tally.refusals ??= {};
  tally.refusals[key] = (tally.refusals[key] ?? 0) + 1;
}

function noteAcknowledged(tally: LoadTally, result: HttpResult): void {
  const { orderId, version } = (result.body ?? {}) as { orderId?: unknown; version?: unknown };
  if (result.status >= 300 || typeof orderId !== 'string' || typeof version !== 'number') return;
  tally.acknowledged ??= new Map();
  tally.acknowledged.set(orderId, Math.max(version, tally.acknowledged.get(orderId) ?? 0));
}

/** Worth the same request again: the API is down or restarting, the key is still held, or a transient refusal. */
function retryable(result: HttpResult): boolean {
  return result.status >= 500 || (result.status === 409 && result.headers.has('retry-after'));
}

/**
 * A client that survives faults: one Idempotency-Key per command, re-sent until an answer
 * that is not a connection error, a 5xx or a 409 "still in flight" arrives.
 */
export async function sendWithRetry(tally: LoadTally, baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const request = { ...options, idempotencyKey: options.idempotencyKey ?? randomUUID() };
  const deadline = Date.now() + RETRY_DEADLINE_MS;
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) tally.retries += 1;
    const result = await call(baseUrl, method, path, request).catch((error: Error) => error);
    if (!(result instanceof Error) && !retryable(result)) {
      noteAcknowledged(tally, result);
      return result;
    }
    noteRefusal(tally, result);
    if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer within ${RETRY_DEADLINE_MS} ms: ${result instanceof Error ? result.message : result.status}`);
    await pause(RETRY_PAUSE_MS); // a client's back-off between retries, not a synchronization
  }
}

async function expectSuccess(tally: LoadTally, baseUrl: string, method: string, path: string, options: RequestOptions): Promise<HttpResult> {
  const result = await sendWithRetry(tally, baseUrl, method, path, options);
  if (result.status >= 300) throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
  return result;
}

/** One order through four commands; `random` picks ship or cancel and the quantity. */
async function orderLifecycle(tally: LoadTally, baseUrl: string, random: () => number): Promise<string> {
  const sku = await retryProduct(tally, baseUrl);
  const placed = await expectSuccess(tally, baseUrl, 'POST', '/orders', { body: orderBody([{ sku, quantity: between(random, 1, 3) }]) });
  const { orderId, totalCents } = placed.body as { orderId: string; totalCents: number };
  tally.orders.push(orderId);
  const path = `/orders/${orderId}`;
  await expectSuccess(tally, baseUrl, 'POST', `${path}/payment-authorizations`, { body: { provider: 'stripe', reference: `pi_${orderId.slice(0, 8)}`, amountCents: totalCents } });
  if (random() < 0.7) await expectSuccess(tally, baseUrl, 'POST', `${path}/shipments`, { role: 'operator', body: { carrier: 'DHL', trackingNumber: `TRK-${orderId.slice(0, 6)}` } });
  else await expectSuccess(tally, baseUrl, 'POST', `${path}/cancellation`, { body: { reason: 'changed my mind' } });
  await expectSuccess(tally, baseUrl, 'POST', `${path}/notes`, { role: 'support', body: { text: 'customer called' } });
  return orderId;
}

/** `PUT /products/{sku}` is idempotent by itself: retrying it is always safe. */
async function retryProduct(tally: LoadTally, baseUrl: string): Promise<string> {
  const deadline = Date.now() + RETRY_DEADLINE_MS;
  for (;;) {
    try {
      return await createProduct(baseUrl, { priceCents: 2_500, stock: 100 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      tally.retries += 1;
      await pause(RETRY_PAUSE_MS);
    }
  }
}

/** `orders` orders, `concurrency` at a time, each through its whole lifecycle over HTTP; `tally` fills as they go. */
export async function driveOrders(baseUrl: string, random: () => number, orders: number, concurrency = 4, tally = emptyTally()): Promise<Required<LoadTally>> {
  let next = 0;
  const lane = async () => {
    while (next < orders) {
      next += 1;
      await orderLifecycle(tally, baseUrl, random);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, orders) }, lane));
  return tally;
}
