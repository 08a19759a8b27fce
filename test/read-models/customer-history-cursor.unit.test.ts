import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/read-models/customer-history/cursor.js';

const cursor = { customerId: 'c-42', placedAt: '2026-11-28T10:00:00.123Z', orderId: '0b7e4a52-7f3c-4d3e-9a51-3c1f0c1e2d4f' };

describe('customer history cursor', () => {
  it('decodes what it encodes', () => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a time that is not ISO 8601', Buffer.from(JSON.stringify(['c-42', 'yesterday', cursor.orderId])).toString('base64url')],
    ['an order id that is not a UUID', Buffer.from(JSON.stringify(['c-42', cursor.placedAt, 'x'])).toString('base64url')],
    ['padding added', `${encodeCursor(cursor)}==`],
    ['an empty customer', Buffer.from(JSON.stringify(['', cursor.placedAt, cursor.orderId])).toString('base64url')],
    ['an overlong text', 'A'.repeat(600)],
  ])('refuses %s', (_what, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });

  it('refuses a cursor whose last character was edited', () => {
    const text = encodeCursor(cursor);
    const edited = text.slice(0, -1) + (text.at(-1) === 'A' ? 'B' : 'A');
    expect(decodeCursor(edited)).toBeUndefined();
  });
});
