/**
 * Stock conservation across many orders sharing one simulated inventory: placements reserve,
 * cancellations release, and nothing else moves stock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolve,
  releaseStock,
  reserveStock,
  type Catalog,
  type DomainError,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
} from '../../src/domain/index.js';
import { at, placeOrder } from './fixtures.js';

const SKUS = ['A', 'B', 'C'] as const;
type Sku = (typeof SKUS)[number];
type Inventory = Record<Sku, number>;

type Op =
  | { kind: 'place'; order: number; items: { sku: Sku; quantity: number }[] }
  | { kind: 'authorize' | 'ship' | 'cancel'; order: number };

const orderIndex = fc.integer({ min: 0, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('place' as const),
    order: orderIndex,
    items: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constantFrom('authorize' as const, 'ship' as const, 'cancel' as const), order: orderIndex }),
);

const catalogOf = (inventory: Inventory): Catalog =>
  Object.fromEntries(SKUS.map((sku) => [sku, { name: sku, priceCents: 100, currency: 'USD', stock: inventory[sku] }]));

function commandFor(op: Op, state: OrderState | null, inventory: Inventory, minute: number): OrderCommand {
  const base = { at: at(minute) };
  switch (op.kind) {
    case 'place': return placeOrder({ ...base, orderId: `order-${op.order}`, items: op.items, catalog: catalogOf(inventory) });
    case 'authorize': return { ...base, type: 'AuthorizePayment', provider: state?.paymentProvider ?? 'stripe', reference: 'r', amountCents: state?.totalCents ?? 0, outcome: 'approved' };
    case 'ship': return { ...base, type: 'ShipOrder', carrier: 'UPS', trackingNumber: 'T' };
    case 'cancel': return { ...base, type: 'CancelOrder', reason: 'changed_mind' };
    default: return op satisfies never;
  }
}

/** Units each order still holds: everything it reserved unless it was cancelled. */
function heldUnits(orders: readonly (OrderState | null)[], sku: Sku): number {
  return orders
    .filter((o): o is OrderState => o !== null && o.status !== 'cancelled')
    .flatMap((o) => o.lines)
    .filter((line) => line.sku === sku)
    .reduce((sum, line) => sum + line.quantity, 0);
}

function requested(items: readonly { sku: Sku; quantity: number }[], sku: Sku): number {
  return items.filter((i) => i.sku === sku).reduce((sum, i) => sum + i.quantity, 0);
}

/** What the infrastructure does with each event: reserve on placement, release on cancellation. */
function moveStock(inventory: Inventory, event: OrderEvent, before: OrderState | null): void {
  if (event.type === 'OrderPlaced') {
    for (const line of event.data.lines) {
      const reservation = reserveStock(inventory[line.sku as Sku], line.quantity);
      if (!reservation.ok) throw new Error(`decide accepted ${line.quantity} ${line.sku} with ${reservation.available} in stock`);
      inventory[line.sku as Sku] = reservation.remaining;
    }
  }
  if (event.type === 'OrderCancelled') {
    // Exactly what the order reserved goes back, no more and no less.
    expect(event.data.releasedItems).toEqual(before?.lines.map(({ sku, quantity }) => ({ sku, quantity })));
    for (const { sku, quantity } of event.data.releasedItems) inventory[sku as Sku] = releaseStock(inventory[sku as Sku], quantity);
  }
}

/** A shortage is reported only when the merged request really exceeds stock. */
function checkShortage(op: Op, error: DomainError, inventory: Inventory): void {
  if (error.code !== 'insufficient_stock' || op.kind !== 'place') return;
  const sku = error.details.sku as Sku;
  expect(error.details).toEqual({ sku, requested: requested(op.items, sku), available: inventory[sku] });
  expect(requested(op.items, sku)).toBeGreaterThan(inventory[sku]);
}

describe('inventory properties', () => {
  it('stock never goes negative and units are conserved', () => {
    const initialArb = fc.record({ A: fc.integer({ min: 0, max: 15 }), B: fc.integer({ min: 0, max: 15 }), C: fc.integer({ min: 0, max: 15 }) });
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 40, size: 'max' }), (initial, ops) => {
        const inventory: Inventory = { ...initial };
        const orders: (OrderState | null)[] = [null, null, null, null];
        ops.forEach((op, i) => {
          const before = orders[op.order] ?? null;
          const decision = decide(commandFor(op, before, inventory, i), before);
          if (!decision.ok) return checkShortage(op, decision.error, inventory);
          for (const event of decision.events) {
            moveStock(inventory, event, before);
            orders[op.order] = evolve(orders[op.order] ?? null, event);
          }
          for (const sku of SKUS) {
            expect(inventory[sku]).toBeGreaterThanOrEqual(0);
            expect(inventory[sku] + heldUnits(orders, sku)).toBe(initial[sku]);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
