import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { TOKENS } from '../support/test-runtime.js';
import { FaultScenario } from './harness.js';
import { sendWithRetry, type LoadTally } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged } from './expectations.js';

async function withParts(name: string, seed: number, body: (scenario: FaultScenario, random: () => number) => Promise<void>): Promise<void> {
  const scenario = await FaultScenario.create(name, seed);
  await scenario.run(async () => {
    await Promise.all([scenario.start('api'), scenario.start('relay'), scenario.start('worker')]);
    await body(scenario, seededRandom(seed));
  });
}

async function countRows(scenario: FaultScenario, table: 'orders' | 'outbox_events'): Promise<number> {
  const row = await scenario.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Sends `POST /orders` and drops the connection unread once the order is committed: the
 * client never learns the answer, as when a proxy or the network loses it.
 */
async function placeAndLoseTheResponse(scenario: FaultScenario, key: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  const sent = request(new URL('/orders', scenario.apiUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.client}`, 'content-type': 'application/json', 'idempotency-key': key, 'content-length': Buffer.byteLength(payload) },
  });
  sent.on('error', () => undefined); // the socket is destroyed on purpose
  sent.end(payload);
  await eventually('the order committed', async () => (await countRows(scenario, 'outbox_events')) === 1, 30_000);
  sent.destroy();
}

describe('1. the response is lost after commit, and the client retries with the same Idempotency-Key', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: one order, one event, and the same answer`, () => withParts('1-response-lost-after-commit', seed, async (scenario, random) => {
      const sku = await createProduct(scenario.apiUrl, { priceCents: 1_900, stock: 50 });
      const key = randomUUID();
      const body = orderBody([{ sku, quantity: between(random, 1, 4) }]);
      await placeAndLoseTheResponse(scenario, key, body);
      const healedAt = Date.now();
      const retries = Array.from({ length: between(random, 2, 4) }, () => call(scenario.apiUrl, 'POST', '/orders', { body, idempotencyKey: key }));
      const answers = await Promise.all(retries);
      const [order] = await scenario.db.selectFrom('orders').select('id').execute();
      for (const answer of answers) {
        expect(answer.status).toBe(201);
        expect(answer.headers.get('idempotent-replayed')).toBe('true');
        expect(answer.body).toEqual(answers[0]!.body);
        expect(answer.body.orderId).toBe(order!.id);
      }
      expect({ orders: await countRows(scenario, 'orders'), events: await countRows(scenario, 'outbox_events') }).toEqual({ orders: 1, events: 1 });
      expectConverged(await scenario.converge(healedAt, { retries: answers.length }));
    }));
  }
});

describe('2. the same Idempotency-Key arrives several times in flight', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: one effect, every caller gets its answer`, () => withParts('2-same-key-in-flight', seed, async (scenario, random) => {
      const sku = await createProduct(scenario.apiUrl, { priceCents: 1_900, stock: 50 });
      const key = randomUUID();
      const body = orderBody([{ sku, quantity: 1 }]);
      const tally: LoadTally = { orders: [], retries: 0 };
      const copies = between(random, 2, 6);
      const startedAt = Date.now();
      const answers = await Promise.all(Array.from({ length: copies }, () => sendWithRetry(tally, scenario.apiUrl, 'POST', '/orders', { body, idempotencyKey: key })));
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
      expect(new Set(answers.map((answer) => answer.body.orderId)).size).toBe(1);
      expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      expect({ orders: await countRows(scenario, 'orders'), events: await countRows(scenario, 'outbox_events') }).toEqual({ orders: 1, events: 1 });
      expectConverged(await scenario.converge(startedAt, { copies, inFlightRetries: tally.retries }));
    }));
  }
});

describe('3. concurrent commands on one order at the same expected version', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: exactly one commits, the others get 412`, () => withParts('3-same-version-race', seed, async (scenario, random) => {
      const sku = await createProduct(scenario.apiUrl, { priceCents: 1_900, stock: 50 });
      const placed = await call(scenario.apiUrl, 'POST', '/orders', { body: orderBody([{ sku, quantity: 1 }]) });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const { orderId } = placed.body as { orderId: string };
      const tag = placed.headers.get('etag')!;
      const writers = between(random, 4, 10);
      const startedAt = Date.now();
      const answers = await Promise.all(Array.from({ length: writers }, (_, i) => call(scenario.apiUrl, 'POST', `/orders/${orderId}/notes`, {
        role: 'support', body: { text: `note ${i}` }, headers: { 'if-match': tag },
      })));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status < 300)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(writers - 1);
      expect(await countRows(scenario, 'outbox_events')).toBe(2);
      expectConverged(await scenario.converge(startedAt, { writers }));
    }));
  }
});
