/**
 * Property-based tests: arbitrary command sequences applied through decide + evolve from a
 * freshly placed order. The oracle below restates the rule table independently of the code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolve,
  fold,
  isTerminalStatus,
  type Catalog,
  type CustomerDetails,
  type DomainError,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type OrderStatus,
} from '../../src/domain/index.js';
import { at, expectAccepted, placeOrder } from './fixtures.js';

type Step =
  | { kind: 'authorize'; approved: boolean; amount: 'total' | number; provider: 'order' | 'other' }
  | { kind: 'ship' }
  | { kind: 'shipment'; status: 'in_transit' | 'delivered' | 'lost' }
  | { kind: 'cancel' }
  | { kind: 'refund'; amount: 'rest' | number }
  | { kind: 'note' }
  | { kind: 'flag' }
  | { kind: 'openDispute'; id: string }
  | { kind: 'resolveDispute'; id: string; outcome: 'upheld' | 'rejected' };

const disputeId = fc.constantFrom('d1', 'd2');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Biased towards valid payments and refunds so that deep states are reached often.
  fc.record({
    kind: fc.constant('authorize'),
    approved: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    amount: fc.oneof({ weight: 3, arbitrary: fc.constant('total' as const) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 60_000 }) }),
    provider: fc.oneof({ weight: 3, arbitrary: fc.constant('order' as const) }, { weight: 1, arbitrary: fc.constant('other' as const) }),
  }),
  fc.record({ kind: fc.constant('ship') }),
  fc.record({ kind: fc.constant('shipment'), status: fc.constantFrom('in_transit', 'delivered', 'lost') }),
  fc.record({ kind: fc.constant('cancel') }),
  fc.record({ kind: fc.constant('refund'), amount: fc.oneof(fc.constant('rest' as const), fc.integer({ min: -5, max: 60_000 })) }),
  fc.record({ kind: fc.constant('note') }),
  fc.record({ kind: fc.constant('flag') }),
  fc.record({ kind: fc.constant('openDispute'), id: disputeId }),
  fc.record({ kind: fc.constant('resolveDispute'), id: disputeId, outcome: fc.constantFrom('upheld', 'rejected') }),
);

const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const customerArb: fc.Arbitrary<CustomerDetails> = fc.record({
  email: fc.string({ unit: letters, minLength: 6, maxLength: 12 }).map((s) => `${s}@example.test`),
  phone: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }).map((s) => `+1${s}`),
  name: fc.string({ unit: letters, minLength: 6, maxLength: 12 }).map((s) => `Pii ${s}`),
});

const SKUS = ['A', 'B', 'C'] as const;
const catalogArb: fc.Arbitrary<Catalog> = fc
  .tuple(...SKUS.map(() => fc.integer({ min: 0, max: 20_000 })))
  .map((prices) =>
    Object.fromEntries(SKUS.map((sku, i) => [sku, { name: sku, priceCents: prices[i]!, currency: 'USD', stock: 1000 }])),
  );
const itemArb = fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 5 }) });
const itemsArb = fc.array(itemArb, { minLength: 1, maxLength: 4 });
const stepsArb = fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' });

function toCommand(step: Step, state: OrderState, minute: number): OrderCommand {
  const base = { at: at(minute) };
  switch (step.kind) {
    case 'authorize': {
      const amountCents = step.amount === 'total' ? state.totalCents : step.amount;
      const outcome = step.approved ? 'approved' : 'declined';
      const provider = step.provider === 'order' ? state.paymentProvider : 'other-psp';
      return { ...base, type: 'AuthorizePayment', provider, reference: `ref-${minute}`, amountCents, outcome, reason: 'no' };
    }
    case 'ship': return { ...base, type: 'ShipOrder', carrier: 'UPS', trackingNumber: `T${minute}` };
    case 'shipment': return { ...base, type: 'RecordShipmentStatus', status: step.status };
    case 'cancel': return { ...base, type: 'CancelOrder', reason: 'changed_mind' };
    case 'refund': {
      const amountCents = step.amount === 'rest' ? state.payment.authorizedCents - state.refund.refundedCents : step.amount;
      return { ...base, type: 'IssueRefund', refundId: `r${minute}`, amountCents, reason: 'goodwill' };
    }
    case 'note': return { ...base, type: 'AddNote', noteId: `n${minute}`, text: 'hello', author: 'agent' };
    case 'flag': return { ...base, type: 'FlagRisk', flag: 'velocity', reason: 'fast' };
    case 'openDispute': return { ...base, type: 'OpenDispute', disputeId: step.id, reason: 'not_received' };
    case 'resolveDispute': return { ...base, type: 'ResolveDispute', disputeId: step.id, outcome: step.outcome, comment: 'ok' };
    default: return step satisfies never;
  }
}

/** The rule table, restated: should this command be accepted in this state? */
function oracleAccepts(command: OrderCommand, s: OrderState): boolean {
  const paid = s.payment.state === 'authorized';
  const shipment = s.shipment?.status;
  // An upheld dispute is a chargeback of everything not yet refunded: nothing is owed or shippable after it.
  const upheld = s.disputes.some((d) => d.outcome === 'upheld');
  switch (command.type) {
    case 'PlaceOrder': return false;
    case 'AuthorizePayment':
      return s.status === 'placed' && command.provider === s.paymentProvider && command.amountCents === s.totalCents;
    case 'ShipOrder': return s.status === 'authorized' && s.refund.state !== 'full' && !upheld;
    case 'RecordShipmentStatus':
      return shipment === 'shipped' || (shipment === 'in_transit' && command.status !== 'in_transit');
    case 'CancelOrder': return s.status === 'placed' || s.status === 'authorized';
    case 'IssueRefund': {
      const remaining = s.payment.authorizedCents - s.refund.refundedCents;
      const disputed = s.disputes.some((d) => d.status === 'open') || upheld;
      return paid && s.status !== 'cancelled' && !disputed && command.amountCents > 0 && command.amountCents <= remaining;
    }
    case 'AddNote': case 'FlagRisk': return true;
    case 'OpenDispute':
      return paid && s.disputes.every((d) => d.status === 'resolved' && d.disputeId !== command.disputeId);
    case 'ResolveDispute': return s.disputes.some((d) => d.disputeId === command.disputeId && d.status === 'open');
    default: return command satisfies never;
  }
}

const ALLOWED_STATUS_CHANGES = new Set([
  'placed>authorized',
  'placed>cancelled',
  'authorized>cancelled',
  'authorized>shipped',
  'shipped>delivered',
  'shipped>lost',
]);

function checkInvariants(prev: OrderState, next: OrderState, emitted: number): void {
  expect(next.version).toBe(prev.version + emitted);
  if (isTerminalStatus(prev.status)) expect(next.status).toBe(prev.status);
  if (next.status !== prev.status) expect(ALLOWED_STATUS_CHANGES).toContain(`${prev.status}>${next.status}`);
  const { refundedCents, state: refundState } = next.refund;
  const { authorizedCents } = next.payment;
  expect(Number.isSafeInteger(refundedCents) && refundedCents >= 0 && refundedCents <= authorizedCents).toBe(true);
  expect(refundState).toBe(refundedCents === 0 ? 'none' : refundedCents === authorizedCents ? 'full' : 'partial');
  expect([0, next.totalCents]).toContain(authorizedCents);
  expect(next.disputes.filter((d) => d.status === 'open').length).toBeLessThanOrEqual(1);
}

function checkRejection(command: OrderCommand, state: OrderState, error: DomainError): void {
  const pii = Object.values(state.customer);
  const exposed = `${error.message} ${JSON.stringify(error.details)}`;
  for (const value of pii) expect(exposed).not.toContain(value);
  if (error.code === 'illegal_transition') {
    expect(error.details).toMatchObject({ currentStatus: state.status, command: command.type });
  }
}

const seenEventTypes = new Set<OrderEvent['type']>();
const seenStatuses = new Set<OrderStatus>();

describe('order lifecycle properties', () => {
  it('keeps every invariant and follows the rule table for any command sequence', () => {
    fc.assert(
      fc.property(customerArb, catalogArb, itemsArb, stepsArb, (customer, catalog, items, steps) => {
        const history = expectAccepted(decide(placeOrder({ customer, catalog, items }), null));
        let state = fold(history);
        expect(state.version).toBe(1);
        steps.forEach((step, i) => {
          const command = toCommand(step, state, i + 1);
          const decision = decide(command, state);
          expect(decision.ok).toBe(oracleAccepts(command, state));
          if (!decision.ok) return checkRejection(command, state, decision.error);
          let next = state;
          for (const event of decision.events) {
            const after = evolve(next, event);
            expect(after.version).toBe(next.version + 1);
            expect(after.updatedAt).toBe(command.at);
            next = after;
            seenEventTypes.add(event.type);
          }
          checkInvariants(state, next, decision.events.length);
          history.push(...decision.events);
          state = next;
          seenStatuses.add(state.status);
        });
        expect(fold(history)).toEqual(state);
        expect(state.version).toBe(history.length);
      }),
      { numRuns: 300 },
    );
  });

  // Guards against a vacuous pass: the generator must actually reach every event and status.
  it('exercised every event type and status', () => {
    expect(seenEventTypes.size).toBe(10);
    expect([...seenStatuses].sort()).toEqual(['authorized', 'cancelled', 'delivered', 'lost', 'placed', 'shipped']);
  });
});
