/**
 * Keyset cursors of the customer history: where the previous page ended. Opaque to clients
 * (base64url of JSON), strictly decoded: anything this API did not issue is refused rather
 * than guessed at. The customer is part of the cursor, so a cursor only continues the
 * listing it came from.
 */
export interface HistoryCursor {
  customerId: string;
  /** ISO 8601 with milliseconds, as the order's placedAt. */
  placedAt: string;
  orderId: string;
}

const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.customerId, cursor.placedAt, cursor.orderId]), 'utf8').toString('base64url');
}

function isCanonicalTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const time = new Date(value);
  return !Number.isNaN(time.getTime()) && time.toISOString() === value;
}

function fromJson(text: string): HistoryCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [customerId, placedAt, orderId] = parsed as unknown[];
  if (typeof customerId !== 'string' || customerId.length === 0) return undefined;
  if (!isCanonicalTime(placedAt) || typeof orderId !== 'string' || !UUID.test(orderId)) return undefined;
  return { customerId, placedAt, orderId };
}

/** The cursor, or undefined when the text is not exactly one this API would have issued. */
export function decodeCursor(text: string): HistoryCursor | undefined {
  if (text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) return undefined;
  const json = Buffer.from(text, 'base64url').toString('utf8');
  const cursor = fromJson(json);
  // Base64 decoding forgives stray bits and padding; re-encoding catches any such edit.
  return cursor && encodeCursor(cursor) === text ? cursor : undefined;
}
