import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type HttpResult } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { openRaw, parseRawResponse, rawExchange, type RawResponse } from '../support/raw-http.js';
import { startTestRuntime, TOKENS, type TestRuntime } from '../support/test-runtime.js';

// Short deadlines, so a stalled client is cut off within the test's patience.
const TIMEOUTS = { requestTimeoutMs: 2_000, headersTimeoutMs: 1_000, keepAliveTimeoutMs: 3_000 };
const ORDER_ID = '00000000-0000-4000-8000-000000000000';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime({ httpTimeouts: TIMEOUTS });
});
afterAll(async () => {
  await app?.stop();
});

function expectProblem(response: HttpResult, status: number): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status });
}

function expectRawProblem(response: RawResponse, status: number): void {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(response.body)).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
}

const malformedJson = { rawBody: '{"customerId": ' };
const plainText = { rawBody: 'hello', headers: { 'content-type': 'text/plain' } };
const oversized = { rawBody: JSON.stringify({ customerId: 'x'.repeat(70_000) }) };

describe('the caller is checked before the body is read', () => {
  const cases: Array<[string, string, string, object, number]> = [
    ['no token, malformed JSON', 'POST', '/orders', { role: null, ...malformedJson }, 401],
    ['no token, a non-JSON content type', 'POST', '/orders', { role: null, ...plainText }, 401],
    ['no token, a body over 64 KiB', 'POST', '/orders', { role: null, ...oversized }, 401],
    ['an unknown token, malformed JSON', 'PUT', '/products/LAMP-01', { token: 'not-a-known-token-000000', ...malformedJson }, 401],
    ['the wrong role, malformed JSON', 'POST', '/orders', { role: 'support', ...malformedJson }, 403],
    ['the wrong role, a body over 64 KiB', 'PUT', '/products/LAMP-01', { role: 'client', ...oversized }, 403],
    ['the wrong role, a non-JSON content type', 'POST', `/orders/${ORDER_ID}/refunds`, { role: 'client', ...plainText }, 403],
  ];

  it.each(cases)('%s: 401/403 before the body is parsed', async (_name, method, path, options, status) => {
    const response = await call(app.url, method, path, options);
    expectProblem(response, status);
    expect(JSON.stringify(response.body)).not.toMatch(/JSON|64 KiB|content type|bytes/i);
  });

  it('keeps /health public', async () => {
    const health = await call(app.url, 'GET', '/health', { role: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });
});

describe('requests the HTTP parser refuses still get problem+json', () => {
  const bigHeader = `X-Padding: ${'a'.repeat(20 * 1024)}\r\n`;
  const cases: Array<[string, string, number]> = [
    ['a malformed request line', 'THIS IS NOT HTTP\r\n\r\n', 400],
    ['an unknown method', 'BREW /health HTTP/1.1\r\nHost: api\r\n\r\n', 400],
    ['Content-Length with Transfer-Encoding', 'POST /orders HTTP/1.1\r\nHost: api\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a duplicate Content-Length', 'POST /orders HTTP/1.1\r\nHost: api\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400],
    ['a NUL in a header', 'GET /health HTTP/1.1\r\nHost: api\r\nX-Note: a\0b\r\n\r\n', 400],
    ['a 20 KB header', `GET /health HTTP/1.1\r\nHost: api\r\n${bigHeader}\r\n`, 431],
  ];

  it.each(cases)('answers %s with a problem and closes the connection', async (_name, request, status) => {
    expectRawProblem(await rawExchange(app.url, request), status);
  });
});

describe('a slow client cannot hold a connection', () => {
  it('a body that stalls gets 408 problem+json and its socket is closed', async () => {
    const connection = await openRaw(app.url);
    const started = Date.now();
    connection.socket.write(
      `POST /orders HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${TOKENS.client}\r\n` +
      'Content-Type: application/json\r\nIdempotency-Key: stalled-body\r\nContent-Length: 100\r\n\r\n{',
    );
    const response = await connection.untilClosed(15_000);
    expectRawProblem(response, 408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 100);
    connection.socket.destroy();
  });

  it('headers that stall get 408 problem+json and the socket is closed', async () => {
    const connection = await openRaw(app.url);
    connection.socket.write('GET /health HTTP/1.1\r\nHost: api\r\n');
    expectRawProblem(await connection.untilClosed(15_000), 408);
    connection.socket.destroy();
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const connection = await openRaw(app.url);
    connection.socket.write('GET /health HTTP/1.1\r\nHost: api\r\n\r\n');
    const answered = await eventually('the health answer', async () => connection.received().includes('{"status":"ok"}'));
    expect(answered).toBe(true);
    expect(connection.closed()).toBe(false);
    await connection.untilClosed(15_000);
    expect(parseRawResponse(connection.received()).status).toBe(200);
    connection.socket.destroy();
  });
});

describe('methods a path does not accept', () => {
  it('DELETE /orders/{id} gets 405 with an Allow header', async () => {
    const response = await call(app.url, 'DELETE', `/orders/${ORDER_ID}`);
    expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('OPTIONS answers with the allowed methods of the path', async () => {
    const order = await call(app.url, 'OPTIONS', `/orders/${ORDER_ID}`, { role: null });
    expect(order.status).toBe(204);
    expect(order.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const orders = await call(app.url, 'OPTIONS', '/orders', { role: null });
    expect(orders.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('TRACE is refused and echoes nothing back', async () => {
    const response = await rawExchange(app.url, `TRACE /orders/${ORDER_ID} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${TOKENS.client}\r\nConnection: close\r\n\r\n`);
    expectRawProblem(response, 405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(response.body).not.toContain(TOKENS.client);
  });

  it('an unknown path is still 404', async () => {
    expectProblem(await call(app.url, 'DELETE', '/no-such-thing'), 404);
  });
});
