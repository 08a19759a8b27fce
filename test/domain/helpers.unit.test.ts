import { describe, expect, it } from 'vitest';
import {
  isOrderState,
  isTerminalStatus,
  mergeItems,
  priceItems,
  releaseStock,
  releasedItemsOf,
  replay,
  reserveStock,
  restoreState,
  InvalidEventHistoryError,
  decide,
  type OrderEvent,
  type OrderState,
} from '../../src/domain/index.js';
import { CATALOG, authorize, authorized, openDispute, placed, run, shipped } from './fixtures.js';

describe('reserveStock / releaseStock', () => {
  it('reserves when stock covers the quantity', () => {
    expect(reserveStock(10, 4)).toEqual({ ok: true, remaining: 6 });
    expect(reserveStock(4, 4)).toEqual({ ok: true, remaining: 0 });
  });

  it('refuses when it does not, reporting what is available', () => {
    expect(reserveStock(3, 4)).toEqual({ ok: false, available: 3 });
    expect(reserveStock(0, 1)).toEqual({ ok: false, available: 0 });
  });

  it('treats a corrupt stock level as nothing available', () => {
    expect(reserveStock(-5, 1)).toEqual({ ok: false, available: 0 });
    expect(reserveStock(2.5, 1)).toEqual({ ok: false, available: 0 });
  });

  it('throws on a quantity that is not a positive integer (a caller bug)', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN]) {
      expect(() => reserveStock(10, quantity)).toThrow(RangeError);
      expect(() => releaseStock(10, quantity)).toThrow(RangeError);
    }
  });

  it('release adds back exactly what was reserved', () => {
    const reserved = reserveStock(10, 4);
    expect(reserved.ok && releaseStock(reserved.remaining, 4)).toBe(10);
    expect(() => releaseStock(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
  });

  it('releasedItemsOf returns each line quantity', () => {
    expect(releasedItemsOf(placed().lines)).toEqual([
      { sku: 'SKU-MUG', quantity: 2 },
      { sku: 'SKU-TEE', quantity: 1 },
    ]);
  });
});

describe('pricing', () => {
  it('mergeItems sums repeated SKUs in first-seen order', () => {
    expect(mergeItems([{ sku: 'b', quantity: 1 }, { sku: 'a', quantity: 2 }, { sku: 'b', quantity: 3 }])).toEqual([
      { sku: 'b', quantity: 4 },
      { sku: 'a', quantity: 2 },
    ]);
  });

  it('priceItems multiplies unit price by quantity and sums', () => {
    expect(priceItems([{ sku: 'SKU-MUG', quantity: 3 }], CATALOG, 'USD')).toEqual({
      ok: true,
      lines: [{ sku: 'SKU-MUG', name: 'Mug', quantity: 3, unitPriceCents: 1250, lineTotalCents: 3750 }],
      totalCents: 3750,
    });
  });

  it('priceItems reports the first failing SKU', () => {
    const result = priceItems([{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-POSTER', quantity: 1 }], CATALOG, 'USD');
    expect(result.ok === false && result.error.code).toBe('currency_mismatch');
  });
});

describe('statuses', () => {
  it('cancelled, delivered and lost are terminal; the rest are not', () => {
    expect(['cancelled', 'delivered', 'lost'].every((s) => isTerminalStatus(s as OrderState['status']))).toBe(true);
    expect(['placed', 'authorized', 'shipped'].some((s) => isTerminalStatus(s as OrderState['status']))).toBe(false);
  });
});

describe('snapshots', () => {
  it('accepts states produced by evolve, including after a JSON round trip', () => {
    for (const state of [placed(), authorized(), shipped(), run([openDispute()], authorized())]) {
      const stored: unknown = JSON.parse(JSON.stringify(state));
      expect(isOrderState(stored)).toBe(true);
      expect(restoreState(stored)).toEqual(state);
    }
  });

  it('rejects malformed stored states', () => {
    const good = JSON.parse(JSON.stringify(authorized())) as Record<string, unknown>;
    const corrupt: unknown[] = [
      null,
      [],
      { ...good, status: 'teleported' },
      { ...good, currency: 'XXX' },
      { ...good, version: 0 },
      { ...good, totalCents: 1.5 },
      { ...good, lines: [{ sku: 'a' }] },
      { ...good, payment: { ...(good.payment as object), state: 'maybe' } },
      { ...good, customer: undefined },
    ];
    for (const value of corrupt) {
      expect(isOrderState(value)).toBe(false);
      expect(() => restoreState(value)).toThrow(InvalidEventHistoryError);
    }
  });

  it('replay continues from a snapshot with later events', () => {
    const snapshot = placed();
    const later = [authorize(1), openDispute('d1')].reduce<OrderEvent[]>((events, command) => {
      const decision = decide(command, replay(snapshot, events));
      if (!decision.ok) throw new Error(decision.error.code);
      return [...events, ...decision.events];
    }, []);
    expect(replay(snapshot, later)).toEqual(run([authorize(1), openDispute('d1')], snapshot));
    expect(replay(snapshot, [])).toBe(snapshot);
    expect(replay(null, [])).toBeNull();
  });
});
