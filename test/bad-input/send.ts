// Sends corpus entries exactly as written: node:http adds no Content-Type or Accept of its
// own (fetch would), and node:net carries what no HTTP client is willing to send.
import { request } from 'node:http';
import { connect } from 'node:net';
import { fill, fillJson, type CorpusEntry, type Placeholders } from './corpus.js';

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

const DEADLINE_MS = 15_000;

export function sendEntry(baseUrl: string, entry: CorpusEntry, values: Placeholders): Promise<RawResponse> {
  const url = new URL(baseUrl);
  if (entry.raw !== undefined) return sendRaw(url, fill(entry.raw, values));
  const headers = Object.fromEntries(Object.entries(entry.headers ?? {}).map(([name, value]) => [name, fill(value, values)]));
  return sendHttp(url, { method: entry.method!, path: fill(entry.path!, values), headers, body: entryBody(entry, values) });
}

function entryBody(entry: CorpusEntry, values: Placeholders): Buffer | undefined {
  if (entry.body !== undefined) return Buffer.from(fill(entry.body, values));
  if (entry.json !== undefined) return Buffer.from(JSON.stringify(fillJson(entry.json, values)));
  if (entry.bodyBase64 !== undefined) return Buffer.from(entry.bodyBase64, 'base64');
  return undefined;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
}

export function sendHttp(base: URL, req: HttpRequest): Promise<RawResponse> {
  // node:http frames a GET or DELETE body with neither Content-Length nor chunked encoding;
  // every real client sends the length.
  const headers = req.body === undefined || 'content-length' in req.headers ? req.headers : { ...req.headers, 'content-length': String(req.body.length) };
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers, timeout: DEADLINE_MS, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: joinHeaders(response.headers), text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

function joinHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
}

/** Writes `text` to a fresh connection and reads one response until the server closes or it is complete. */
export function sendRaw(base: URL, text: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: base.hostname, port: Number(base.port) });
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else reject(new Error(`no complete HTTP response; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`));
    };
    socket.setTimeout(DEADLINE_MS, finish);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseResponse(Buffer.concat(chunks))?.complete) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => (chunks.length > 0 ? finish() : reject(error)));
    socket.write(Buffer.from(text, 'latin1'));
  });
}

function parseResponse(bytes: Buffer): (RawResponse & { complete: boolean }) | undefined {
  const split = bytes.indexOf('\r\n\r\n');
  if (split === -1) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const body = bytes.subarray(split + 4);
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  const complete = length !== undefined && body.length >= length;
  return { status, headers, text: body.subarray(0, length).toString('utf8'), complete };
}
