import { describe, expect, it } from 'vitest';
import { decide, evolve, MAX_LINE_QUANTITY, SUPPORTED_CURRENCIES, type Catalog, type Currency, type OrderState, type PlaceOrder } from '../../src/domain/index.js';
import { CUSTOMER, at, expectAccepted, expectRejected, placeOrder, placed } from './fixtures.js';

describe('PlaceOrder', () => {
  it('emits OrderPlaced with priced lines and the total', () => {
    const [event, ...rest] = expectAccepted(decide(placeOrder(), null));
    expect(rest).toEqual([]);
    expect(event).toEqual({
      type: 'OrderPlaced',
      data: {
        orderId: 'order-1',
        at: at(0),
        customerId: 'customer-1',
        customer: CUSTOMER,
        region: 'us-east',
        paymentProvider: 'stripe',
        currency: 'USD',
        lines: [
          { sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitPriceCents: 1250, lineTotalCents: 2500 },
          { sku: 'SKU-TEE', name: 'T-shirt', quantity: 1, unitPriceCents: 2000, lineTotalCents: 2000 },
        ],
        totalCents: 4500,
      },
    });
  });

  it('starts the order placed, pending payment, at version 1', () => {
    const state = placed();
    expect(state).toMatchObject({
      status: 'placed',
      version: 1,
      totalCents: 4500,
      placedAt: at(0),
      updatedAt: at(0),
      payment: { state: 'pending', provider: null, reference: null, authorizedCents: 0, declineCount: 0, lastDeclineReason: null },
      shipment: null,
      refund: { state: 'none', refundedCents: 0 },
      disputes: [],
      riskFlags: [],
      noteCount: 0,
      cancellationReason: null,
    });
  });

  it('merges a repeated SKU into one line with the summed quantity, keeping first-seen order', () => {
    const items = [
      { sku: 'SKU-TEE', quantity: 1 },
      { sku: 'SKU-MUG', quantity: 2 },
      { sku: 'SKU-TEE', quantity: 3 },
    ];
    const [event] = expectAccepted(decide(placeOrder({ items }), null));
    const state = evolve(null, event!);
    expect(state.lines.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([
      { sku: 'SKU-TEE', quantity: 4 },
      { sku: 'SKU-MUG', quantity: 2 },
    ]);
    expect(state.totalCents).toBe(4 * 2000 + 2 * 1250);
  });

  it('rejects an order that already exists', () => {
    const error = expectRejected(decide(placeOrder(), placed()), 'order_exists');
    expect(error.details).toEqual({ orderId: 'order-1' });
  });

  it('rejects an empty order', () => {
    expectRejected(decide(placeOrder({ items: [] }), null), 'empty_order');
  });

  it('rejects an unknown SKU, naming it', () => {
    const error = expectRejected(decide(placeOrder({ items: [{ sku: 'SKU-NOPE', quantity: 1 }] }), null), 'unknown_sku');
    expect(error.details).toEqual({ sku: 'SKU-NOPE' });
    expect(error.message).toContain('SKU-NOPE');
  });

  it('does not resolve SKUs through inherited object properties', () => {
    for (const sku of ['constructor', 'toString', '__proto__']) {
      expectRejected(decide(placeOrder({ items: [{ sku, quantity: 1 }] }), null), 'unknown_sku');
    }
  });

  it('rejects a product priced in another currency', () => {
    const error = expectRejected(
      decide(placeOrder({ items: [{ sku: 'SKU-POSTER', quantity: 1 }] }), null),
      'currency_mismatch',
    );
    expect(error.details).toMatchObject({ sku: 'SKU-POSTER', productCurrency: 'EUR', orderCurrency: 'USD' });
  });

  it('rejects an unsupported order currency arriving at runtime', () => {
    const command = placeOrder({ currency: 'XXX' as Currency });
    expectRejected(decide(command, null), 'currency_mismatch');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_LINE_QUANTITY + 1])(
    'rejects quantity %s as invalid_quantity',
    (quantity) => {
      const error = expectRejected(decide(placeOrder({ items: [{ sku: 'SKU-MUG', quantity }] }), null), 'invalid_quantity');
      expect(error.details).toMatchObject({ sku: 'SKU-MUG', max: MAX_LINE_QUANTITY });
    },
  );

  it('accepts the maximum quantity when stock covers it', () => {
    const catalog: Catalog = { BIG: { name: 'Bolt', priceCents: 5, currency: 'USD', stock: MAX_LINE_QUANTITY } };
    const items = [{ sku: 'BIG', quantity: MAX_LINE_QUANTITY }];
    const state = evolve(null, expectAccepted(decide(placeOrder({ items, catalog }), null))[0]!);
    expect(state.totalCents).toBe(5 * MAX_LINE_QUANTITY);
  });

  it('applies the quantity limit to merged lines too', () => {
    const catalog: Catalog = { BIG: { name: 'Bolt', priceCents: 5, currency: 'USD', stock: 5000 } };
    const items = [
      { sku: 'BIG', quantity: 600 },
      { sku: 'BIG', quantity: 600 },
    ];
    const error = expectRejected(decide(placeOrder({ items, catalog }), null), 'invalid_quantity');
    expect(error.details).toMatchObject({ sku: 'BIG', quantity: 1200 });
  });

  it('rejects a quantity beyond stock with requested and available', () => {
    const error = expectRejected(
      decide(placeOrder({ items: [{ sku: 'SKU-TEE', quantity: 6 }] }), null),
      'insufficient_stock',
    );
    expect(error.details).toEqual({ sku: 'SKU-TEE', requested: 6, available: 5 });
  });

  it('checks stock against the merged quantity', () => {
    const items = [
      { sku: 'SKU-TEE', quantity: 3 },
      { sku: 'SKU-TEE', quantity: 3 },
    ];
    const error = expectRejected(decide(placeOrder({ items }), null), 'insufficient_stock');
    expect(error.details).toEqual({ sku: 'SKU-TEE', requested: 6, available: 5 });
  });

  it('accepts an order taking exactly the remaining stock', () => {
    expectAccepted(decide(placeOrder({ items: [{ sku: 'SKU-TEE', quantity: 5 }] }), null));
  });

  it('rejects a total that would leave the safe integer range', () => {
    const catalog: Catalog = {
      A: { name: 'A', priceCents: 100, currency: 'USD', stock: 1000 },
      B: { name: 'B', priceCents: Number.MAX_SAFE_INTEGER - 10, currency: 'USD', stock: 1000 },
    };
    const lineOverflow = placeOrder({ catalog, items: [{ sku: 'B', quantity: 2 }] });
    expect(expectRejected(decide(lineOverflow, null), 'invalid_amount').details).toEqual({ sku: 'B' });
    const totalOverflow = placeOrder({ catalog, items: [{ sku: 'B', quantity: 1 }, { sku: 'A', quantity: 1 }] });
    const error = expectRejected(decide(totalOverflow, null), 'invalid_amount');
    expect(error.details).toEqual({ maxCents: Number.MAX_SAFE_INTEGER });
  });

  it('rejects a catalog price that is not integer cents', () => {
    const catalog: Catalog = { ODD: { name: 'Odd', priceCents: 9.99, currency: 'USD', stock: 3 } };
    const error = expectRejected(decide(placeOrder({ catalog, items: [{ sku: 'ODD', quantity: 1 }] }), null), 'invalid_amount');
    expect(error.details).toMatchObject({ sku: 'ODD' });
  });

  it('does not mutate the command it was given', () => {
    const command = placeOrder({ items: [{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-MUG', quantity: 1 }] });
    const before = structuredClone(command);
    expectAccepted(decide(command, null));
    expect(command).toEqual(before);
  });

  it('accepts every supported currency', () => {
    for (const currency of SUPPORTED_CURRENCIES) {
      const catalog: Catalog = { X: { name: 'X', priceCents: 100, currency, stock: 1 } };
      expectAccepted(decide(placeOrder({ currency, catalog, items: [{ sku: 'X', quantity: 1 }] }), null));
    }
  });

  it('never puts customer data in rejection messages or details', () => {
    const rejected = [
      placeOrder({ items: [] }),
      placeOrder({ items: [{ sku: 'SKU-NOPE', quantity: 1 }] }),
      placeOrder({ items: [{ sku: 'SKU-POSTER', quantity: 1 }] }),
      placeOrder({ items: [{ sku: 'SKU-MUG', quantity: 0 }] }),
      placeOrder({ items: [{ sku: 'SKU-TEE', quantity: 99 }] }),
    ];
    const cases: [PlaceOrder, OrderState | null][] = [...rejected.map((c) => [c, null] as [PlaceOrder, null]), [placeOrder(), placed()]];
    for (const [command, state] of cases) {
      const decision = decide(command, state);
      expect(decision.ok).toBe(false);
      const exposed = decision.ok ? '' : `${decision.error.message} ${JSON.stringify(decision.error.details)}`;
      for (const value of Object.values(CUSTOMER)) expect(exposed).not.toContain(value);
    }
  });
});
