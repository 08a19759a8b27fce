/** Where a page ends, in the search's sort order: placed time (epoch ms), then order id. */
export type SortKey = [placedAtMs: number, orderId: string];

/** Opaque to clients: base64url of the last hit's sort values, handed back as `search_after`. */
export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function isSortKey(value: unknown): value is SortKey {
  return Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0])
    && typeof value[1] === 'string' && value[1].length > 0 && value[1].length <= 64;
}

/** The sort key a cursor of ours holds, or undefined for anything this search did not hand out. */
export function decodeCursor(cursor: string): SortKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return isSortKey(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
