import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parseApiTokens } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createSearchClient } from '../../src/search/client.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TOKENS } from '../support/test-runtime.js';

let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let url: string;
const logs: string[] = [];
const search = createSearchClient(inject('stack').opensearchUrl);
const prefix = `logs${Date.now().toString(36)}`;

beforeAll(async () => {
  database = await createTestDatabase();
  await ensureSupportSearchIndex(search, prefix);
  const stream = new PassThrough();
  stream.on('data', (chunk) => logs.push(String(chunk)));
  app = buildApp({
    db: database.db, search, searchIndexPrefix: prefix,
    apiTokens: parseApiTokens(Object.entries(TOKENS).map(([role, token]) => `${token}=${role}`).join(',')),
    idempotencyRetentionMs: 60_000, logger: { stream },
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await search.indices.delete({ index: supportSearchIndexNames(prefix).index }).catch(() => undefined);
  await search.close();
  await database?.drop();
});

describe('request logs', () => {
  it('carry no email, phone, name or token, even for failing requests and searches', async () => {
    await call(url, 'PUT', '/products/LOG-1', { role: 'operator', body: { name: 'Lamp', priceCents: 100, currency: 'USD', stock: 5 } });
    const body = orderBody([{ sku: 'LOG-1' }], { customer: { email: 'secret.person@example.com', phone: '+4915112345678', name: 'Secret Person' } });
    const placed = await call(url, 'POST', '/orders', { body });
    await call(url, 'POST', '/orders', { body: { ...body, items: [{ sku: 'LOG-1', quantity: 0 }] } });
    await call(url, 'GET', '/support/search?email=secret.person%40example.com&phone=%2B4915112345678', { role: 'support' });

    expect(placed.status).toBe(201);
    const text = logs.join('');
    expect(text).toContain('/orders'); // the logs are there...
    for (const secret of ['secret.person', '4915112345678', 'Secret Person', TOKENS.client, TOKENS.support]) {
      expect(text).not.toContain(secret); // ...without personal data or credentials
    }
  });
});
