/** Shared builders for the domain unit tests (not a test file itself). */
import { expect } from 'vitest';
import {
  decide,
  evolve,
  type Catalog,
  type Decision,
  type DomainError,
  type DomainErrorCode,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type PlaceOrder,
} from '../../src/domain/index.js';

/** Deterministic timestamps: minute n after a fixed epoch. */
export function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
}

export const CUSTOMER = { email: 'ada.lovelace@example.test', phone: '+44 20 7946 0000', name: 'Ada Lovelace' };

export const CATALOG: Catalog = {
  'SKU-MUG': { name: 'Mug', priceCents: 1250, currency: 'USD', stock: 10 },
  'SKU-TEE': { name: 'T-shirt', priceCents: 2000, currency: 'USD', stock: 5 },
  'SKU-POSTER': { name: 'Poster', priceCents: 900, currency: 'EUR', stock: 3 },
};

/** 2 mugs + 1 tee = 4500 cents. */
export const DEFAULT_TOTAL = 4500;

export function placeOrder(overrides: Partial<PlaceOrder> = {}): PlaceOrder {
  return {
    type: 'PlaceOrder',
    at: at(0),
    orderId: 'order-1',
    customerId: 'customer-1',
    customer: CUSTOMER,
    region: 'us-east',
    paymentProvider: 'stripe',
    currency: 'USD',
    items: [
      { sku: 'SKU-MUG', quantity: 2 },
      { sku: 'SKU-TEE', quantity: 1 },
    ],
    catalog: CATALOG,
    ...overrides,
  };
}

export function expectAccepted(decision: Decision): OrderEvent[] {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}

export function expectRejected(decision: Decision, code: DomainErrorCode): DomainError {
  if (decision.ok) throw new Error(`expected ${code}, got events ${decision.events.map((e) => e.type).join(', ')}`);
  expect(decision.error.code).toBe(code);
  expect(decision.error.message.length).toBeGreaterThan(0);
  return decision.error;
}

/** Decides and applies each command in turn; every one must be accepted. */
export function run(commands: readonly OrderCommand[], initial: OrderState | null = null): OrderState {
  let state = initial;
  for (const command of commands) {
    for (const event of expectAccepted(decide(command, state))) state = evolve(state, event);
  }
  if (state === null) throw new Error('no order after running commands');
  return state;
}

export const authorize = (minute = 1, amountCents = DEFAULT_TOTAL): OrderCommand => ({
  type: 'AuthorizePayment',
  at: at(minute),
  provider: 'stripe',
  reference: `ch_${minute}`,
  amountCents,
  outcome: 'approved',
});

export const decline = (minute = 1, reason = 'insufficient_funds'): OrderCommand => ({
  type: 'AuthorizePayment',
  at: at(minute),
  provider: 'stripe',
  reference: `ch_${minute}`,
  amountCents: DEFAULT_TOTAL,
  outcome: 'declined',
  reason,
});

export const ship = (minute = 2): OrderCommand => ({ type: 'ShipOrder', at: at(minute), carrier: 'UPS', trackingNumber: '1Z999' });

export const shipmentStatus = (status: 'in_transit' | 'delivered' | 'lost', minute = 3): OrderCommand => ({
  type: 'RecordShipmentStatus',
  at: at(minute),
  status,
});

export const cancel = (minute = 2, reason = 'customer_request'): OrderCommand => ({ type: 'CancelOrder', at: at(minute), reason });

export const refund = (amountCents: number, refundId = 'refund-1', minute = 4): OrderCommand => ({
  type: 'IssueRefund',
  at: at(minute),
  refundId,
  amountCents,
  reason: 'damaged',
});

export const openDispute = (disputeId = 'dispute-1', minute = 5): OrderCommand => ({
  type: 'OpenDispute',
  at: at(minute),
  disputeId,
  reason: 'not_received',
});

export const resolveDispute = (disputeId = 'dispute-1', outcome: 'upheld' | 'rejected' = 'upheld', minute = 6): OrderCommand => ({
  type: 'ResolveDispute',
  at: at(minute),
  disputeId,
  outcome,
  comment: 'checked with carrier',
});

export const placed = (): OrderState => run([placeOrder()]);
export const authorized = (): OrderState => run([authorize()], placed());
export const shipped = (): OrderState => run([ship()], authorized());
export const delivered = (): OrderState => run([shipmentStatus('delivered')], shipped());
export const cancelled = (): OrderState => run([cancel()], placed());
