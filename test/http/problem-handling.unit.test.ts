import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { email, moneyCents, positiveInt, sku, strictObject, uuid } from '../../src/http/input/fields.js';
import { ProblemError, problemFrameworkErrors, registerProblemHandling, unauthorized } from '../../src/http/problem.js';

const BODY_LIMIT = 1024;
const orderBody = strictObject({
  email: email(),
  items: z.array(strictObject({ sku: sku(), quantity: positiveInt(100), priceCents: moneyCents() })).min(1),
});
const logLines: string[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({
    logger: { level: 'info', stream: { write: (line: string) => void logLines.push(line) } },
    bodyLimit: BODY_LIMIT,
    frameworkErrors: problemFrameworkErrors(BODY_LIMIT),
  });
  registerProblemHandling(app, { bodyLimit: BODY_LIMIT });
  app.post('/orders', async (request) => ({ accepted: orderBody.parse(request.body) }));
  app.post('/echo', async (request) => ({ body: request.body ?? null }));
  app.get('/orders/:id', async (request) => strictObject({ id: uuid() }).parse(request.params));
  app.get('/boom', async () => {
    throw Object.assign(new Error('syntax error at or near "SELEC" in SELECT * FROM customers'), {
      code: '42601', detail: 'Key (email)=(carol@example.com) already exists.',
    });
  });
  app.get('/teapot', async () => {
    throw Object.assign(new Error('internal wording'), { statusCode: 418 });
  });
  app.get('/throws-string', async () => {
    throw 'carol@example.com'; // simulates a careless library throwing a value, not an Error
  });
  await app.register(async (plugin) => {
    plugin.get('/plugin/boom', async () => {
      throw new Error('inside a plugin');
    });
  });
  app.get('/private', async () => {
    throw unauthorized();
  });
  app.get('/gone', async () => {
    throw new ProblemError({ status: 410, detail: 'this order was archived' });
  });
  await app.ready();
});

afterAll(() => app.close());

const validOrder = { email: 'alice@example.com', items: [{ sku: 'SKU-1', quantity: 2, priceCents: 1050 }] };

/** `contentType: null` sends no Content-Type header at all. */
function post(payload: string | Buffer, contentType: string | null = 'application/json', url = '/orders') {
  const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
  return app.inject({ method: 'POST', url, payload, headers });
}

function expectProblem(response: LightMyRequestResponse, status: number): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\/problems\.cqrs-orders\.dev\//) });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  expect(body.traceId).toEqual(expect.any(String));
  expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack frames, ever
  return body;
}

describe('registerProblemHandling', () => {
  it('lets a valid order through', async () => {
    const response = await post(JSON.stringify(validOrder));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: validOrder });
  });

  it.each([
    ['malformed JSON', '{"email": "a@b.co", "items": [1,]}', '/items', /trailing comma/],
    ['duplicate keys', '{"email":"a@b.co","items":[{"sku":"A","sku":"B"}]}', '/items/0/sku', /duplicate key "sku"/],
    ['a NUL byte', '{"email":"a\\u0000@b.co","items":[]}', '/email', /NUL character/],
    ['a lone surrogate', '{"email":"\\ud800@b.co","items":[]}', '/email', /lone UTF-16 surrogate/],
    ['an unsafe integer', '{"items":[{"quantity":9007199254740993}]}', '/items/0/quantity', /exceeds 2\^53/],
    ['__proto__', '{"__proto__":{"admin":true}}', '/__proto__', /forbidden key/],
    ['an empty body', '', '', /empty body/],
  ])('400s %s, naming the JSON pointer', async (_name, payload, pointer, detail) => {
    const body = expectProblem(await post(payload), 400);
    expect(body.pointer).toBe(pointer);
    expect(body.detail).toMatch(detail);
  });

  it('400s bytes that are not UTF-8 instead of replacing them', async () => {
    const raw = Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    expect(expectProblem(await post(raw), 400).detail).toMatch(/not valid UTF-8/);
  });

  it('400s an unknown field, naming it', async () => {
    const body = expectProblem(await post(JSON.stringify({ ...validOrder, coupon: 'FREE' })), 400);
    expect(body.errors).toEqual([{ field: 'coupon', detail: 'unknown field "coupon"' }]);
    expect(body.detail).toBe('coupon: unknown field "coupon"');
  });

  it('400s a wrong type, naming the field', async () => {
    const order = { ...validOrder, items: [{ sku: 'A', quantity: '2', priceCents: 1 }] };
    const body = expectProblem(await post(JSON.stringify(order)), 400);
    expect(body.errors).toEqual([{ field: 'items[0].quantity', detail: 'must be a number' }]);
  });

  it('400s float money, asking for integer cents', async () => {
    const order = { ...validOrder, items: [{ sku: 'A', quantity: 1, priceCents: 10.5 }] };
    expect(expectProblem(await post(JSON.stringify(order)), 400).detail).toMatch(/items\[0\]\.priceCents: .*integer cents/);
  });

  it('413s a body over the limit', async () => {
    const body = expectProblem(await post(JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT) })), 413);
    expect(body.detail).toMatch(/1024 bytes/);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['no content type', null],
    ['a non-UTF-8 charset', 'application/json; charset=iso-8859-1'],
    ['a malformed content type', 'json'],
  ])('415s a body sent as %s', async (_name, contentType) => {
    expectProblem(await post(JSON.stringify(validOrder), contentType), 415);
  });

  it('413s an over-limit body sent without Content-Length (chunked)', async () => {
    const payload = Readable.from([Buffer.from('{"pad":"'), Buffer.alloc(BODY_LIMIT, 'x'), Buffer.from('"}')]);
    expectProblem(await app.inject({ method: 'POST', url: '/orders', payload, headers: { 'content-type': 'application/json' } }), 413);
  });

  it('400s a Content-Length that does not match the body', async () => {
    const response = await app.inject({
      method: 'POST', url: '/echo', payload: '{"a":1}', headers: { 'content-type': 'application/json', 'content-length': '3' },
    });
    expect(expectProblem(response, 400).detail).toMatch(/Content-Length/);
  });

  it('lets a body-less POST through without a Content-Type (schemas decide if a body is required)', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo' });
    expect(response.json()).toEqual({ body: null });
    expect(expectProblem(await app.inject({ method: 'POST', url: '/orders' }), 400).detail).toBe('request: is required');
  });

  it('accepts application/*+json and charset=utf-8', async () => {
    expect((await post('{"a":1}', 'application/merge-patch+json', '/echo')).json()).toEqual({ body: { a: 1 } });
    expect((await post('{"a":1}', 'application/json; charset=UTF-8', '/echo')).statusCode).toBe(200);
  });

  it('404s an unknown route without echoing the query string', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope?email=bob@example.com' });
    const body = expectProblem(response, 404);
    expect(body.detail).toBe('No route matches GET /nope');
  });

  it('400s malformed percent-encoding in the URL (via frameworkErrors)', async () => {
    const body = expectProblem(await app.inject({ method: 'GET', url: '/orders/%E0%A4%A' }), 400);
    expect(body.detail).toMatch(/percent-encoding/);
  });

  it('maps 4xx errors to their status with a generic detail, and passes ProblemErrors through', async () => {
    expect(expectProblem(await app.inject({ method: 'GET', url: '/teapot' }), 418).detail).toBe("I'm a Teapot");
    expect(expectProblem(await app.inject({ method: 'GET', url: '/gone' }), 410).detail).toBe('this order was archived');
    const unauthorizedResponse = await app.inject({ method: 'GET', url: '/private' });
    expectProblem(unauthorizedResponse, 401);
    expect(unauthorizedResponse.headers['www-authenticate']).toBe('Bearer');
  });

  it('500s an unexpected error with fixed text, logging the error but not its row data', async () => {
    logLines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/boom' });
    const body = expectProblem(response, 500);
    expect(body).toEqual({
      type: 'https://problems.cqrs-orders.dev/internal-server-error', title: 'Internal Server Error', status: 500,
      detail: 'An unexpected error occurred', traceId: body.traceId,
    });
    const logged = logLines.join('\n');
    expect(logged).toContain('SELEC');
    expect(logged).toContain(String(body.traceId));
    expect(logged).not.toContain('carol@example.com');
  });

  it('500s thrown non-Errors and errors inside plugins the same way', async () => {
    logLines.length = 0;
    expectProblem(await app.inject({ method: 'GET', url: '/throws-string' }), 500);
    expect(logLines.join('\n')).not.toContain('carol@example.com');
    expect(expectProblem(await app.inject({ method: 'GET', url: '/plugin/boom' }), 500).detail).toBe('An unexpected error occurred');
  });

  it('never writes request bodies or their personal data to the logs', async () => {
    logLines.length = 0;
    await post(JSON.stringify({ ...validOrder, email: 'dave@example.com', phone: '+14155550123' }));
    await post('{"email":"erin@example.com",}');
    const logged = logLines.join('\n');
    expect(logged).toContain('request rejected');
    expect(logged).not.toMatch(/dave@|erin@|4155550123/);
  });
});
