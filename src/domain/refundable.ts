/**
 * How much of the payment the customer has back, and how. Refunds are money the shop sent;
 * an upheld dispute is a chargeback the card network took from the shop for the whole amount
 * still unrefunded at that moment. The refund totals count only the former, so they stay an
 * honest record of what the shop paid out; the rules below count both.
 */
import type { Dispute, OrderState } from './types.js';

export function openDisputeOf(state: OrderState): Dispute | undefined {
  return state.disputes.find((dispute) => dispute.status === 'open');
}

export function upheldDisputeOf(state: OrderState): Dispute | undefined {
  return state.disputes.find((dispute) => dispute.outcome === 'upheld');
}

/** What a refund may still return: nothing once a chargeback returned the rest. */
export function refundableCents(state: OrderState): number {
  if (upheldDisputeOf(state) !== undefined) return 0;
  return state.payment.authorizedCents - state.refund.refundedCents;
}
