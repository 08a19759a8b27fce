import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so that key order does not change the fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The same key reused for another target, body or precondition is a different request. */
export function requestFingerprint(parts: { method: string; target: string; body: unknown; ifMatch?: string | undefined }): string {
  const text = `${parts.method} ${parts.target}\n${parts.ifMatch ?? ''}\n${canonicalJson(parts.body)}`;
  return createHash('sha256').update(text).digest('hex');
}
