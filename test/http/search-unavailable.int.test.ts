import { errors } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createSearchClient } from '../../src/search/client.js';
import { isSearchUnavailable } from '../../src/search/unavailable.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';
import { TOKENS, testTokenGrants } from '../support/test-runtime.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** The API on a reachable database and the given OpenSearch; a support agent searches. */
async function searchThrough(searchUrl: string, searchIndexPrefix: string) {
  const app = buildApp({
    db: database.db, search: createSearchClient(searchUrl), searchIndexPrefix,
    apiTokens: testTokenGrants(), idempotencyRetentionMs: 60_000, logger: false,
  });
  try {
    const response = await app.inject({ method: 'GET', url: '/support/search?q=lamp', headers: { authorization: `Bearer ${TOKENS.support}` } });
    return { status: response.statusCode, headers: response.headers, body: response.json() as Record<string, unknown> };
  } finally {
    await app.close();
  }
}

function expectSearchUnavailable(response: Awaited<ReturnType<typeof searchThrough>>): void {
  expect(response.status).toBe(503);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(response.body.type).toBe('https://problems.cqrs-orders.dev/service-unavailable');
  // It names the store that is down, not the database that is up, and nothing of the driver.
  expect(response.body.detail).toContain('search store');
  expect(JSON.stringify(response.body)).not.toMatch(/ECONN|127\.0\.0\.1|index_|exception/i);
}

describe('OpenSearch cannot serve a support search: 503 naming the search store, never 500', () => {
  it('answers 503 while OpenSearch refuses connections', async () => {
    expectSearchUnavailable(await searchThrough(`http://127.0.0.1:${await freePort()}`, uniqueName('down')));
  });

  it('answers 503 when the support index is missing (deleted, before a rebuild restores it)', async () => {
    expectSearchUnavailable(await searchThrough(inject('stack').opensearchUrl, uniqueName('missing')));
  });
});

describe('which OpenSearch errors mean "retry later"', () => {
  const answer = (statusCode: number, type?: string) =>
    new errors.ResponseError({ body: type ? { error: { type } } : {}, statusCode, headers: {}, meta: {} as never, warnings: null });

  it('counts overload, closed or missing indexes and lost connections as unavailable', () => {
    expect(isSearchUnavailable(answer(429))).toBe(true);
    expect(isSearchUnavailable(answer(503))).toBe(true);
    expect(isSearchUnavailable(answer(400, 'index_closed_exception'))).toBe(true);
    expect(isSearchUnavailable(answer(404, 'index_not_found_exception'))).toBe(true);
    expect(isSearchUnavailable(new errors.ConnectionError('connect ECONNREFUSED', undefined as never))).toBe(true);
    expect(isSearchUnavailable(new errors.TimeoutError('Request timed out', undefined as never))).toBe(true);
  });

  it('counts a refused query as a bug of the server (500), not as unavailability', () => {
    expect(isSearchUnavailable(answer(400, 'search_phase_execution_exception'))).toBe(false);
    expect(isSearchUnavailable(new Error('connect ECONNREFUSED'))).toBe(false);
  });
});
