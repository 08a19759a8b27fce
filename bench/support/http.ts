import http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token: string;
  body?: unknown;
  /** Commands need an Idempotency-Key; a fresh one is sent unless given. */
  idempotencyKey?: string;
}

/** Keep-alive sockets, more of them than clients, so that no request waits for a socket. */
export function keepAliveAgent(maxSockets = 64): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

const REQUEST_TIMEOUT_MS = 30_000;

/** One request over the agent; the body is read whole. Load only ever goes to 127.0.0.1. */
export function send(baseUrl: string, agent: http.Agent, request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(request.path, baseUrl);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error('bench requests go to 127.0.0.1 only'));
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}` };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (request.method !== 'GET') headers['idempotency-key'] = request.idempotencyKey ?? randomUUID();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: request.method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
