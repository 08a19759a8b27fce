import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { createSearchClient } from '../../src/search/client.js';
import { TOKENS, testTokenGrants } from '../support/test-runtime.js';
import { parseExposition, sampleValue } from './exposition.js';
import { freePort } from '../support/free-port.js';

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

describe('GET /metrics while PostgreSQL cannot be reached', () => {
  it('still answers the process metrics, leaves the store gauges out and counts the failed reads', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKENS.operator}` } });
    expect(response.statusCode).toBe(200);
    const samples = parseExposition(response.body);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'cqrs_orders_metrics_scrape_errors_total', { source: 'outbox' })).toBe(1);
    expect(sampleValue(samples, 'cqrs_orders_metrics_scrape_errors_total', { source: 'read_model' })).toBe(readModelNames().length);
    expect(sampleValue(samples, 'cqrs_orders_outbox_unclaimed_events')).toBeUndefined();
    expect(samples.filter((s) => s.name.startsWith('cqrs_orders_read_model_lag_'))).toEqual([]);
  });
});
