import { describe, expect, it } from 'vitest';
import { decide, type OrderCommand } from '../../src/domain/index.js';
import {
  DEFAULT_TOTAL,
  at,
  authorize,
  authorized,
  cancelled,
  decline,
  delivered,
  expectAccepted,
  expectRejected,
  placed,
  refund,
  run,
  shipped,
} from './fixtures.js';

describe('AuthorizePayment', () => {
  it('approved: emits PaymentAuthorized and moves the order to authorized', () => {
    const events = expectAccepted(decide(authorize(1), placed()));
    expect(events).toEqual([
      {
        type: 'PaymentAuthorized',
        data: { orderId: 'order-1', at: at(1), provider: 'stripe', reference: 'ch_1', amountCents: DEFAULT_TOTAL },
      },
    ]);
    const state = run([authorize(1)], placed());
    expect(state.status).toBe('authorized');
    expect(state.payment).toMatchObject({ state: 'authorized', provider: 'stripe', reference: 'ch_1', authorizedCents: DEFAULT_TOTAL });
  });

  it('declined: records the decline and keeps the order placed so the client can retry', () => {
    const [event] = expectAccepted(decide(decline(1, 'card_expired'), placed()));
    expect(event).toMatchObject({ type: 'PaymentDeclined', data: { reason: 'card_expired', declineCount: 1 } });
    const state = run([decline(1, 'card_expired')], placed());
    expect(state.status).toBe('placed');
    expect(state.payment).toMatchObject({ state: 'declined', declineCount: 1, lastDeclineReason: 'card_expired', authorizedCents: 0 });
  });

  it('allows a retry after declines and counts every decline', () => {
    const state = run([decline(1), decline(2, 'do_not_honor'), authorize(3)], placed());
    expect(state.status).toBe('authorized');
    expect(state.payment).toMatchObject({ state: 'authorized', declineCount: 2, authorizedCents: DEFAULT_TOTAL });
  });

  it('records a decline without a reason as null', () => {
    const command: OrderCommand = { type: 'AuthorizePayment', at: at(1), provider: 'stripe', reference: 'r', amountCents: DEFAULT_TOTAL, outcome: 'declined' };
    expect(run([command], placed()).payment.lastDeclineReason).toBeNull();
  });

  it('rejects an amount different from the total with expected and got', () => {
    const error = expectRejected(decide(authorize(1, DEFAULT_TOTAL - 1), placed()), 'amount_mismatch');
    expect(error.details).toEqual({ expected: DEFAULT_TOTAL, got: DEFAULT_TOTAL - 1 });
  });

  it.each([-1, 1.5, Number.NaN])('rejects a malformed amount %s as invalid_amount', (amountCents) => {
    expectRejected(decide(authorize(1, amountCents), placed()), 'invalid_amount');
  });

  it('rejects a second authorization', () => {
    const error = expectRejected(decide(authorize(2), authorized()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'authorized', command: 'AuthorizePayment' });
  });

  it.each([
    ['cancelled', cancelled],
    ['shipped', shipped],
    ['delivered', delivered],
  ] as const)('rejects authorization when the order is %s', (status, build) => {
    const error = expectRejected(decide(authorize(9), build()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: status, command: 'AuthorizePayment' });
  });

  it('rejects a command for an order that does not exist', () => {
    const error = expectRejected(decide(authorize(1), null), 'order_not_found');
    expect(error.details).toEqual({ command: 'AuthorizePayment' });
  });
});

describe('IssueRefund', () => {
  it('partial refund: emits RefundIssued with the running total and partial state', () => {
    const [event] = expectAccepted(decide(refund(1000), authorized()));
    expect(event).toEqual({
      type: 'RefundIssued',
      data: { orderId: 'order-1', at: at(4), refundId: 'refund-1', amountCents: 1000, reason: 'damaged', refundedCents: 1000, refundState: 'partial' },
    });
    expect(run([refund(1000)], authorized()).refund).toEqual({ state: 'partial', refundedCents: 1000 });
  });

  it('becomes full when refunds reach the authorized amount', () => {
    const state = run([refund(1000, 'r1'), refund(DEFAULT_TOTAL - 1000, 'r2')], authorized());
    expect(state.refund).toEqual({ state: 'full', refundedCents: DEFAULT_TOTAL });
  });

  it('rejects a refund beyond what is left, reporting the remaining amount', () => {
    const state = run([refund(4000)], authorized());
    const error = expectRejected(decide(refund(501, 'r2'), state), 'refund_exceeds_authorized');
    expect(error.details).toMatchObject({ remainingCents: 500, requestedCents: 501, authorizedCents: DEFAULT_TOTAL });
  });

  it('rejects any refund once fully refunded', () => {
    const state = run([refund(DEFAULT_TOTAL)], authorized());
    expect(expectRejected(decide(refund(1, 'r2'), state), 'refund_exceeds_authorized').details).toMatchObject({ remainingCents: 0 });
  });

  it.each([0, -100, 10.5, Number.NaN])('rejects amount %s as invalid_amount', (amountCents) => {
    expectRejected(decide(refund(amountCents), authorized()), 'invalid_amount');
  });

  it('is allowed after shipment and after delivery', () => {
    expect(run([refund(100)], shipped()).refund.refundedCents).toBe(100);
    expect(run([refund(100)], delivered()).refund.refundedCents).toBe(100);
  });

  it('is rejected before payment is authorized', () => {
    const error = expectRejected(decide(refund(100), placed()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'placed', command: 'IssueRefund', paymentState: 'pending' });
    expectRejected(decide(refund(100), run([decline(1)], placed())), 'illegal_transition');
  });

  it('is rejected on a cancelled order, even one that had been authorized', () => {
    const state = run([authorize(1), { type: 'CancelOrder', at: at(2), reason: 'fraud' }], placed());
    const error = expectRejected(decide(refund(100), state), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'cancelled', command: 'IssueRefund' });
  });
});
