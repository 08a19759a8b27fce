/** Money taken and money given back: payment authorization and refunds. */
import type { AuthorizePayment, IssueRefund } from './commands.js';
import { accept, illegalTransition, reject, type Decision } from './errors.js';
import { isSafeMoney } from './pricing.js';
import type { OrderState } from './types.js';

function invalidAmount(amountCents: number): Decision {
  return reject('invalid_amount', 'amount must be a non-negative safe integer of minor units', { amountCents });
}

export function decideAuthorizePayment(command: AuthorizePayment, state: OrderState): Decision {
  // Only a placed order is awaiting payment; a declined attempt leaves it placed for a retry.
  if (state.status !== 'placed' || state.payment.state === 'authorized') {
    return illegalTransition(command.type, state.status, { paymentState: state.payment.state });
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

export function decideIssueRefund(command: IssueRefund, state: OrderState): Decision {
  // Refunds return captured money, so there must be a live authorization to refund against.
  if (state.payment.state !== 'authorized' || state.status === 'cancelled') {
    return illegalTransition(command.type, state.status, { paymentState: state.payment.state });
  }
  if (!isSafeMoney(command.amountCents) || command.amountCents === 0) {
    return reject('invalid_amount', 'refund amount must be a positive safe integer of minor units', {
      amountCents: command.amountCents,
    });
  }
  const { authorizedCents } = state.payment;
  const remainingCents = authorizedCents - state.refund.refundedCents;
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
