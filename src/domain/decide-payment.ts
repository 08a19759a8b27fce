/** Money taken and money given back: payment authorization and refunds. */
import type { AuthorizePayment, IssueRefund } from './commands.js';
import { accept, illegalTransition, notAllowedBecause, reject, type Decision } from './errors.js';
import { isSafeMoney } from './pricing.js';
import { openDisputeOf, refundableCents, upheldDisputeOf } from './refundable.js';
import type { OrderState } from './types.js';

function invalidAmount(amountCents: number): Decision {
  return reject('invalid_amount', 'amount must be a non-negative safe integer of minor units', { amountCents });
}

export function decideAuthorizePayment(command: AuthorizePayment, state: OrderState): Decision {
  // Only a placed order is awaiting payment; a declined attempt leaves it placed for a retry.
  if (state.status !== 'placed' || state.payment.state === 'authorized') {
    return illegalTransition(command.type, state.status, { paymentState: state.payment.state });
  }
  // An answer from another provider is not about this order's payment, approved or not.
  if (command.provider !== state.paymentProvider) {
    return reject('provider_mismatch', `authorization from ${command.provider} does not match the order's payment provider ${state.paymentProvider}`, {
      expectedProvider: state.paymentProvider,
      provider: command.provider,
    });
  }
  if (!isSafeMoney(command.amountCents)) return invalidAmount(command.amountCents);
  if (command.amountCents !== state.totalCents) {
    return reject('amount_mismatch', `amount ${command.amountCents} does not match the order total ${state.totalCents}`, {
      expected: state.totalCents,
      got: command.amountCents,
    });
  }
  const { orderId } = state;
  const { at, provider, reference, amountCents } = command;
  if (command.outcome === 'approved') {
    return accept({ type: 'PaymentAuthorized', data: { orderId, at, provider, reference, amountCents } });
  }
  const declineCount = state.payment.declineCount + 1;
  const reason = command.reason ?? null;
  return accept({ type: 'PaymentDeclined', data: { orderId, at, provider, reference, amountCents, reason, declineCount } });
}

/**
 * A chargeback returns money without the shop's say: a refund during an open dispute, or after
 * an upheld one, would hand the customer the same money twice.
 */
function disputeBlocksRefund(command: IssueRefund, state: OrderState): Decision | null {
  const open = openDisputeOf(state);
  if (open !== undefined) {
    return notAllowedBecause(command.type, state.status, `dispute ${open.disputeId} is open; its outcome decides what the customer gets back`, {
      disputeId: open.disputeId,
      disputeStatus: 'open',
    });
  }
  const upheld = upheldDisputeOf(state);
  if (upheld === undefined) return null;
  return notAllowedBecause(command.type, state.status, `dispute ${upheld.disputeId} was upheld; its chargeback already returned the rest of the payment`, {
    disputeId: upheld.disputeId,
    disputeOutcome: 'upheld',
  });
}

export function decideIssueRefund(command: IssueRefund, state: OrderState): Decision {
  // Refunds return captured money, so there must be a live authorization to refund against.
  if (state.payment.state !== 'authorized' || state.status === 'cancelled') {
    return illegalTransition(command.type, state.status, { paymentState: state.payment.state });
  }
  const blocked = disputeBlocksRefund(command, state);
  if (blocked !== null) return blocked;
  if (!isSafeMoney(command.amountCents) || command.amountCents === 0) {
    return reject('invalid_amount', 'refund amount must be a positive safe integer of minor units', {
      amountCents: command.amountCents,
    });
  }
  const { authorizedCents } = state.payment;
  const remainingCents = refundableCents(state);
  if (command.amountCents > remainingCents) {
    return reject('refund_exceeds_authorized', `refund of ${command.amountCents} exceeds the ${remainingCents} still refundable`, {
      requestedCents: command.amountCents,
      refundedCents: state.refund.refundedCents,
      authorizedCents,
      remainingCents,
    });
  }
  const refundedCents = state.refund.refundedCents + command.amountCents;
  const refundState = refundedCents === authorizedCents ? 'full' : 'partial';
  const { at, refundId, amountCents, reason } = command;
  return accept({
    type: 'RefundIssued',
    data: { orderId: state.orderId, at, refundId, amountCents, reason, refundedCents, refundState },
  });
}
