import { describe, expect, it } from 'vitest';
import { DROP, formatPath, objectPaths, setAt, valuePaths } from './json-paths.js';

const body = { customer: { email: 'a@example.com' }, items: [{ sku: 'A', quantity: 1 }] };

describe('JSON paths for body mutations', () => {
  it('lists every member and element, and every object', () => {
    expect(valuePaths(body).map(formatPath)).toEqual(['customer', 'customer.email', 'items', 'items[0]', 'items[0].sku', 'items[0].quantity']);
    expect(objectPaths(body).map(formatPath)).toEqual(['(root)', 'customer', 'items[0]']);
  });

  it('replaces or drops one member deep inside, leaving the original untouched', () => {
    expect(setAt(body, ['items', 0, 'quantity'], 2)).toEqual({ ...body, items: [{ sku: 'A', quantity: 2 }] });
    expect(setAt(body, ['customer', 'email'], DROP)).toEqual({ ...body, customer: {} });
    expect(setAt(body, ['items', 0], DROP)).toEqual({ ...body, items: [] });
    expect(body.items[0]!.quantity).toBe(1);
  });
});
