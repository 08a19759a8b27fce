import { connect, type Socket } from 'node:net';
import { eventually } from './poll.js';

/** A plain TCP connection to the API: for requests no HTTP client would send. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  closed(): boolean;
  /** Resolves once the server has closed the connection; fails at the deadline. */
  untilClosed(timeoutMs?: number): Promise<RawResponse>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function parseRawResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  }));
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}

export async function openRaw(baseUrl: string): Promise<RawConnection> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let text = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => { text += chunk; });
  socket.on('close', () => { closed = true; });
  socket.on('error', () => undefined); // a reset after the answer is still a close
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    received: () => text,
    closed: () => closed,
    untilClosed: async (timeoutMs = 10_000) => {
      await eventually('the server to close the connection', async () => closed, timeoutMs);
      return parseRawResponse(text);
    },
  };
}

/** Sends `request` verbatim and returns the answer once the server closes the connection. */
export async function rawExchange(baseUrl: string, request: string | Buffer): Promise<RawResponse> {
  const connection = await openRaw(baseUrl);
  connection.socket.write(request);
  try {
    return await connection.untilClosed();
  } finally {
    connection.socket.destroy();
  }
}
