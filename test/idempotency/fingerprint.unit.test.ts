import { describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../src/idempotency/fingerprint.js';

const base = { method: 'POST', target: '/orders', body: { a: 1, b: [1, { c: 'x', d: null }] } };

describe('requestFingerprint', () => {
  it('ignores the order of object keys', () => {
    const reordered = { ...base, body: { b: [1, { d: null, c: 'x' }], a: 1 } };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(base));
  });

  it('tells apart another body, target, method or precondition', () => {
    const fingerprint = requestFingerprint(base);
    expect(requestFingerprint({ ...base, body: { ...base.body, a: 2 } })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, body: { ...base.body, b: [{ c: 'x', d: null }, 1] } })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, target: '/orders/1/notes' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, method: 'PUT' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...base, ifMatch: '"3"' })).not.toBe(fingerprint);
  });
});
