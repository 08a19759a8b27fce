/** Rules that keep one payment from being paid back twice, or taken through the wrong provider. */
import { describe, expect, it } from 'vitest';
import { decide, type OrderCommand } from '../../src/domain/index.js';
import {
  DEFAULT_TOTAL,
  at,
  authorize,
  authorized,
  cancel,
  expectAccepted,
  expectRejected,
  openDispute,
  placed,
  refund,
  resolveDispute,
  run,
  ship,
} from './fixtures.js';

const authorizeWith = (provider: string, outcome: 'approved' | 'declined'): OrderCommand => ({
  type: 'AuthorizePayment',
  at: at(1),
  provider,
  reference: 'psp_1',
  amountCents: DEFAULT_TOTAL,
  outcome,
});

describe('a fully refunded order', () => {
  const fullyRefunded = () => run([refund(DEFAULT_TOTAL)], authorized());

  it('is not shipped, and the refusal says why', () => {
    const error = expectRejected(decide(ship(5), fullyRefunded()), 'illegal_transition');
    expect(error.message).toMatch(/whole amount was refunded/);
    expect(error.details).toEqual({ currentStatus: 'authorized', command: 'ShipOrder', refundState: 'full', refundedCents: DEFAULT_TOTAL });
  });

  it('is still shipped after a partial refund', () => {
    expect(run([refund(DEFAULT_TOTAL - 1), ship(5)], authorized()).status).toBe('shipped');
  });

  it('can still be cancelled', () => {
    const state = run([cancel(5)], fullyRefunded());
    expect(state.status).toBe('cancelled');
    expect(state.refund).toEqual({ state: 'full', refundedCents: DEFAULT_TOTAL });
  });
});

describe('refunds and disputes', () => {
  it('refuses a refund while a dispute is open, naming the dispute', () => {
    const state = run([openDispute('d1')], authorized());
    const error = expectRejected(decide(refund(100, 'r1', 6), state), 'illegal_transition');
    expect(error.message).toMatch(/dispute d1 is open/);
    expect(error.details).toEqual({ currentStatus: 'authorized', command: 'IssueRefund', disputeId: 'd1', disputeStatus: 'open' });
  });

  it('refuses any refund after an upheld dispute, even with money left unrefunded', () => {
    const state = run([refund(1000, 'r1', 4), openDispute('d1', 5), resolveDispute('d1', 'upheld', 6)], authorized());
    const error = expectRejected(decide(refund(1, 'r2', 7), state), 'illegal_transition');
    expect(error.message).toMatch(/dispute d1 was upheld/);
    expect(error.details).toMatchObject({ disputeId: 'd1', disputeOutcome: 'upheld' });
  });

  it('keeps the refund totals to refunds actually issued after an upheld dispute', () => {
    const state = run([refund(1000, 'r1', 4), openDispute('d1', 5), resolveDispute('d1', 'upheld', 6)], authorized());
    expect(state.refund).toEqual({ state: 'partial', refundedCents: 1000 });
    expect(state.disputes[0]).toMatchObject({ status: 'resolved', outcome: 'upheld' });
  });

  it('allows refunds again after a rejected dispute', () => {
    const state = run([openDispute('d1', 5), resolveDispute('d1', 'rejected', 6), refund(DEFAULT_TOTAL, 'r1', 7)], authorized());
    expect(state.refund).toEqual({ state: 'full', refundedCents: DEFAULT_TOTAL });
  });

  it('refuses to ship once an upheld dispute returned the payment', () => {
    const state = run([openDispute('d1', 5), resolveDispute('d1', 'upheld', 6)], authorized());
    const error = expectRejected(decide(ship(7), state), 'illegal_transition');
    expect(error.details).toMatchObject({ command: 'ShipOrder', disputeId: 'd1', disputeOutcome: 'upheld' });
  });

  it('still ships while a dispute is open or after it was rejected', () => {
    expect(run([openDispute('d1', 5), ship(6)], authorized()).status).toBe('shipped');
    expect(run([openDispute('d1', 5), resolveDispute('d1', 'rejected', 6), ship(7)], authorized()).status).toBe('shipped');
  });
});

describe('the payment provider', () => {
  it.each(['approved', 'declined'] as const)('refuses a %s authorization from another provider than the order names', (outcome) => {
    const error = expectRejected(decide(authorizeWith('adyen', outcome), placed()), 'provider_mismatch');
    expect(error.message).toMatch(/adyen .*stripe/);
    expect(error.details).toEqual({ expectedProvider: 'stripe', provider: 'adyen' });
  });

  it('compares providers exactly', () => {
    expectRejected(decide(authorizeWith('Stripe', 'approved'), placed()), 'provider_mismatch');
  });

  it('accepts the order\'s provider, and a mismatch leaves no trace on the payment', () => {
    expectRejected(decide(authorizeWith('adyen', 'declined'), placed()), 'provider_mismatch');
    const [event] = expectAccepted(decide(authorizeWith('stripe', 'declined'), placed()));
    expect(event).toMatchObject({ type: 'PaymentDeclined', data: { provider: 'stripe', declineCount: 1 } });
    expect(run([authorize(2)], placed()).payment).toMatchObject({ state: 'authorized', provider: 'stripe' });
  });
});
