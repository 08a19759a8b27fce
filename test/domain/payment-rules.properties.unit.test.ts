/**
 * Properties of the money side for any sequence of payment, refund, dispute and shipping
 * commands. The test keeps its own ledger of what the customer got back: refunds issued, plus
 * the chargeback an upheld dispute takes (everything not yet returned at that moment).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, evolve, fold, type OrderCommand, type OrderEvent, type OrderState } from '../../src/domain/index.js';
import { at, expectAccepted, placeOrder } from './fixtures.js';

const PROVIDERS = ['stripe', 'adyen', 'klarna'] as const;

type Step =
  | { kind: 'authorize'; provider: 'order' | (typeof PROVIDERS)[number] }
  | { kind: 'refund'; amount: 'rest' | number }
  | { kind: 'openDispute'; id: string }
  | { kind: 'resolveDispute'; id: string; outcome: 'upheld' | 'rejected' }
  | { kind: 'ship' }
  | { kind: 'cancel' };

const disputeId = fc.constantFrom('d1', 'd2');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Mostly the order's own provider, so that refunds and disputes are reached often.
  fc.record({
    kind: fc.constant('authorize' as const),
    provider: fc.oneof({ weight: 3, arbitrary: fc.constant('order' as const) }, fc.constantFrom(...PROVIDERS)),
  }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refund' as const), amount: fc.oneof(fc.constant('rest' as const), fc.integer({ min: 1, max: 5_000 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('openDispute' as const), id: disputeId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolveDispute' as const), id: disputeId, outcome: fc.constantFrom('upheld' as const, 'rejected' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ship' as const) }) },
  fc.record({ kind: fc.constant('cancel' as const) }),
);

/** What the customer has back, as the customer's bank sees it. */
interface Ledger {
  refundedCents: number;
  chargedBackCents: number;
}

function toCommand(step: Step, state: OrderState, minute: number): OrderCommand {
  const base = { at: at(minute) };
  switch (step.kind) {
    case 'authorize':
      const provider = step.provider === 'order' ? state.paymentProvider : step.provider;
      return { ...base, type: 'AuthorizePayment', provider, reference: `ref-${minute}`, amountCents: state.totalCents, outcome: 'approved' };
    case 'refund': {
      const amountCents = step.amount === 'rest' ? state.payment.authorizedCents - state.refund.refundedCents : step.amount;
      return { ...base, type: 'IssueRefund', refundId: `r${minute}`, amountCents, reason: 'goodwill' };
    }
    case 'openDispute': return { ...base, type: 'OpenDispute', disputeId: step.id, reason: 'not_received' };
    case 'resolveDispute': return { ...base, type: 'ResolveDispute', disputeId: step.id, outcome: step.outcome, comment: 'ok' };
    case 'ship': return { ...base, type: 'ShipOrder', carrier: 'UPS', trackingNumber: `T${minute}` };
    case 'cancel': return { ...base, type: 'CancelOrder', reason: 'changed_mind' };
    default: return step satisfies never;
  }
}

function book(ledger: Ledger, event: OrderEvent, before: OrderState): Ledger {
  if (event.type === 'RefundIssued') return { ...ledger, refundedCents: ledger.refundedCents + event.data.amountCents };
  if (event.type !== 'DisputeResolved' || event.data.outcome !== 'upheld') return ledger;
  const rest = before.payment.authorizedCents - ledger.refundedCents - ledger.chargedBackCents;
  return { ...ledger, chargedBackCents: ledger.chargedBackCents + rest };
}

const returnedCents = (ledger: Ledger) => ledger.refundedCents + ledger.chargedBackCents;
const seen = { refundWhileOpen: 0, refundAfterUpheld: 0, shipAfterReturned: 0, foreignProvider: 0 };

function countAttempt(command: OrderCommand, state: OrderState, ledger: Ledger): void {
  const paidBack = state.payment.authorizedCents > 0 && returnedCents(ledger) === state.payment.authorizedCents;
  if (command.type === 'IssueRefund' && state.disputes.some((d) => d.status === 'open')) seen.refundWhileOpen += 1;
  if (command.type === 'IssueRefund' && state.disputes.some((d) => d.outcome === 'upheld')) seen.refundAfterUpheld += 1;
  if (command.type === 'ShipOrder' && state.status === 'authorized' && paidBack) seen.shipAfterReturned += 1;
  if (command.type === 'AuthorizePayment' && command.provider !== state.paymentProvider) seen.foreignProvider += 1;
}

function checkStep(command: OrderCommand, before: OrderState, after: OrderState, ledger: Ledger, events: OrderEvent[]): void {
  expect(returnedCents(ledger)).toBeLessThanOrEqual(after.payment.authorizedCents);
  // The state's refund total is what the shop issued, never the chargeback.
  expect(after.refund.refundedCents).toBe(ledger.refundedCents);
  if (before.disputes.some((d) => d.status === 'open')) expect(after.refund.refundedCents).toBe(before.refund.refundedCents);
  const paidBack = before.payment.authorizedCents > 0 && returnedCents(ledger) === before.payment.authorizedCents;
  if (paidBack && before.status !== 'shipped') expect(after.status).not.toBe('shipped');
  for (const event of events) {
    if (event.type === 'PaymentAuthorized' || event.type === 'PaymentDeclined') expect(event.data.provider).toBe(before.paymentProvider);
  }
  if (command.type === 'AuthorizePayment' && command.provider !== before.paymentProvider) expect(events).toEqual([]);
}

describe('payment rules properties', () => {
  it('never pays the customer back twice, never ships what was paid back, only takes the order\'s provider', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVIDERS), fc.array(stepArb, { minLength: 1, maxLength: 30, size: 'max' }), (paymentProvider, steps) => {
        const history = expectAccepted(decide(placeOrder({ paymentProvider }), null));
        let state = fold(history);
        let ledger: Ledger = { refundedCents: 0, chargedBackCents: 0 };
        steps.forEach((step, i) => {
          const command = toCommand(step, state, i + 1);
          countAttempt(command, state, ledger);
          const decision = decide(command, state);
          const events = decision.ok ? decision.events : [];
          const before = state;
          for (const event of events) {
            ledger = book(ledger, event, state);
            state = evolve(state, event);
          }
          history.push(...events);
          checkStep(command, before, state, ledger, events);
        });
        expect(fold(history)).toEqual(state);
      }),
      { numRuns: 400 },
    );
  });

  // Guards against a vacuous pass: the refused situations must actually have been tried.
  it('tried every refused situation many times', () => {
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(5);
  });
});
