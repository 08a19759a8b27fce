import { Ajv2020 } from 'ajv/dist/2020.js';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { registeredRoutes } from '../../src/http/routing/route-table.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call, type HttpResult } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { readmeCurlExamples } from '../support/readme-examples.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

type Operation = {
  'x-roles': string[];
  security: unknown[];
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: { 'application/json': { schema: object } } };
  responses: Record<string, { headers?: Record<string, unknown>; 'x-problem-types'?: string[] }>;
};
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const UNKNOWN_ORDER = '00000000-0000-4000-8000-000000000000';

let app: TestRuntime;
let doc: OpenApi;
beforeAll(async () => {
  app = await startTestRuntime();
  const served = await call(app.url, 'GET', '/openapi.json', { role: null });
  expect(served.status).toBe(200);
  doc = served.body;
});
afterAll(async () => {
  await app?.stop();
});

function operationAt(method: string, path: string): Operation | undefined {
  const template = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  return template === undefined ? undefined : doc.paths[template]![method.toLowerCase()];
}

function expectNoStore(response: HttpResult, what: string): void {
  expect(response.headers.get('cache-control'), what).toBe('no-store');
}

describe('Cache-Control: no-store', () => {
  it('is on every response that carries order or personal data, errors and command answers included', async () => {
    const product = await call(app.url, 'PUT', '/products/NOSTORE-01', { role: 'operator', body: { name: 'Lamp', priceCents: 500, currency: 'USD', stock: 9 } });
    expectNoStore(product, 'product upsert');
    const sku = await createProduct(app.url);
    const body = orderBody([{ sku }]);
    const key = randomUUID();
    const placed = await call(app.url, 'POST', '/orders', { body, idempotencyKey: key });
    expectNoStore(placed, 'placed order');
    expectNoStore(await call(app.url, 'POST', '/orders', { body, idempotencyKey: key }), 'replayed command');
    const read = await eventually('the order in order_summary', async () => {
      const response = await call(app.url, 'GET', `/orders/${placed.body.orderId}`);
      return response.status === 200 ? response : undefined;
    });
    expectNoStore(read, 'order read');
    expectNoStore(await call(app.url, 'GET', `/support/search?email=${encodeURIComponent(body.customer.email)}`, { role: 'support' }), 'search');
    expectNoStore(await call(app.url, 'GET', `/orders/${UNKNOWN_ORDER}`), '404 problem');
    expectNoStore(await call(app.url, 'GET', `/orders/${UNKNOWN_ORDER}`, { role: null }), '401 problem');
    expectNoStore(await call(app.url, 'GET', '/no-such-route'), 'unknown route');
  });

  it('is not on /health and /openapi.json, which carry no personal data', async () => {
    expect((await call(app.url, 'GET', '/health', { role: null })).headers.get('cache-control')).toBeNull();
    expect((await call(app.url, 'GET', '/openapi.json', { role: null })).headers.get('cache-control')).toBeNull();
  });
});

describe('GET /openapi.json', () => {
  it('is a public OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('covers every registered route', async () => {
    const built = buildApp({ db: app.db, search: app.search, searchIndexPrefix: app.config.searchIndexPrefix, apiTokens: new Map(), idempotencyRetentionMs: 1, logger: false });
    await built.ready();
    const registered = registeredRoutes(built).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    await built.close();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(registered.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual([...new Set(registered)].sort());
  });

  it('describes roles, error types and the Idempotency-Key, If-Match and ETag headers', () => {
    const place = doc.paths['/orders']!.post!;
    expect(place['x-roles']).toEqual(['client']);
    expect(place.security).toEqual([{ bearer: [] }]);
    expect(place.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    expect(Object.keys(place.responses['201']!.headers!)).toEqual(expect.arrayContaining(['ETag', 'Location', 'Cache-Control']));
    expect(place.responses['409']!['x-problem-types']).toContain('insufficient-stock');
    expect(place.responses['401']!['x-problem-types']).toEqual(['unauthorized']);
    expect(place.responses['413']).toBeDefined();

    const refund = doc.paths['/orders/{id}/refunds']!.post!;
    expect(refund['x-roles']).toEqual(['support']);
    expect(refund.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: false }));
    expect(refund.responses['412']!['x-problem-types']).toContain('version-mismatch');
    expect(refund.responses['409']!['x-problem-types']).toContain('refund-exceeds-authorized');

    expect(Object.keys(doc.paths['/orders/{id}']!.get!.responses['200']!.headers!)).toContain('ETag');
    expect(doc.paths['/health']!.get!.security).toEqual([]);
  });

  it('lists the problem types the API actually answers with', async () => {
    const cases: Array<[string, string, Promise<HttpResult>]> = [
      ['get', '/orders/{id}', call(app.url, 'GET', `/orders/${UNKNOWN_ORDER}`)],
      ['get', '/orders/{id}', call(app.url, 'GET', `/orders/${UNKNOWN_ORDER}`, { role: null })],
      ['get', '/orders/{id}', call(app.url, 'GET', '/orders/not-a-uuid')],
      ['put', '/products/{sku}', call(app.url, 'PUT', '/products/LAMP-01', { role: 'client', body: {} })],
      ['post', '/orders', call(app.url, 'POST', '/orders', { rawBody: '{"a":' })],
      ['post', '/orders', call(app.url, 'POST', '/orders', { body: orderBody([{ sku: 'NO-SUCH-SKU' }]) })],
    ];
    for (const [method, path, pending] of cases) {
      const response = await pending;
      const slug = String(response.body.type).split('/').pop();
      expect(doc.paths[path]![method]!.responses[String(response.status)]?.['x-problem-types'], `${response.status} ${slug}`).toContain(slug);
    }
  });

  it('accepts the request examples of the README, and refuses what the API refuses', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const examples = readmeCurlExamples(README);
    expect(examples.filter((e) => e.body !== undefined).length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      const where = `${example.method} ${example.path}`;
      const operation = operationAt(example.method, example.path);
      expect(operation, `${where} is documented`).toBeDefined();
      const sent = example.headers.map((h) => h.split(':')[0]!.toLowerCase());
      for (const header of operation!.parameters.filter((p) => p.in === 'header' && p.required)) {
        expect(sent, `${where} sends ${header.name}`).toContain(header.name.toLowerCase());
      }
      if (example.body === undefined) continue;
      const validate = ajv.compile(operation!.requestBody!.content['application/json'].schema);
      const body = JSON.parse(example.body) as Record<string, unknown>;
      expect(validate(body), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(validate({ ...body, unknownField: 1 }), `${where} refuses unknown fields`).toBe(false);
    }
  });
});
