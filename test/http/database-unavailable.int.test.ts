import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createSearchClient } from '../../src/search/client.js';
import { call } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, TOKENS, testTokenGrants, type TestRuntime } from '../support/test-runtime.js';
import { freePort } from '../support/free-port.js';

function expectServiceUnavailable(response: { status: number; headers: Headers | Record<string, unknown>; body: any }): void {
  const header = (name: string) => (response.headers instanceof Headers ? response.headers.get(name) : response.headers[name]);
  expect(response.status).toBe(503);
  expect(String(header('content-type'))).toContain('application/problem+json');
  expect(Number(header('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.body.type).toBe('https://problems.cqrs-orders.dev/service-unavailable');
  // Nothing about the driver, the host or the SQL reaches the client.
  expect(JSON.stringify(response.body)).not.toMatch(/ECONN|terminat|127\.0\.0\.1|select|57P01/i);
}

describe('PostgreSQL cannot be reached: 503 with Retry-After, never 500', () => {
  let app: ReturnType<typeof buildApp>;
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    db = createDb(createPool({ connectionString: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/orders`, maxConnections: 2 }));
    app = buildApp({
      db, search: createSearchClient('http://127.0.0.1:9'), searchIndexPrefix: 'down',
      apiTokens: testTokenGrants(), idempotencyRetentionMs: 60_000, logger: false,
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('answers a read with 503 service-unavailable while connections are refused', async () => {
    const response = await app.inject({ method: 'GET', url: `/orders/${randomUUID()}`, headers: { authorization: `Bearer ${TOKENS.client}` } });
    expectServiceUnavailable({ status: response.statusCode, headers: response.headers, body: response.json() });
  });

  it('answers a command with 503 service-unavailable while connections are refused', async () => {
    const response = await app.inject({
      method: 'PUT', url: '/products/DOWN-01', headers: { authorization: `Bearer ${TOKENS.operator}`, 'content-type': 'application/json' },
      payload: { name: 'Lamp', priceCents: 100, currency: 'USD', stock: 1 },
    });
    expectServiceUnavailable({ status: response.statusCode, headers: response.headers, body: response.json() });
  });
});

describe('the session of a running command is terminated (admin_shutdown, as in a restart)', () => {
  let runtime: TestRuntime;
  let admin: pg.Client;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    admin = new pg.Client({ connectionString: runtime.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await runtime?.stop();
  });

  /** The API's backends waiting for the order's row lock, which this test's own session holds. */
  async function waitingBackends(): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
    return rows.map((row) => row.pid);
  }

  it('answers 503 with Retry-After, and the same Idempotency-Key then commits the command once', async () => {
    const { orderId } = await placeOrderFor(runtime.url);
    const idempotencyKey = randomUUID();
    const note = { role: 'support' as const, body: { text: 'called back' }, idempotencyKey };
    await admin.query('begin');
    await admin.query('select 1 from orders where id = $1 for update', [orderId]);
    const pending = call(runtime.url, 'POST', `/orders/${orderId}/notes`, note);
    const [pid] = await eventually('the command waits for the order', async () => {
      const pids = await waitingBackends();
      return pids.length > 0 ? pids : undefined;
    });
    await admin.query('select pg_terminate_backend($1)', [pid]);
    const refused = await pending;
    await admin.query('rollback');
    expectServiceUnavailable(refused);

    const retried = await call(runtime.url, 'POST', `/orders/${orderId}/notes`, note);
    expect(retried.status).toBe(200);
    // The cut-off attempt rolled back: the retry ran the command, it did not replay it.
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const notes = await runtime.db.selectFrom('outbox_events').select('event_id')
      .where('aggregate_id', '=', orderId).where('event_type', '=', 'NoteAdded').execute();
    expect(notes).toHaveLength(1);
  });
});
