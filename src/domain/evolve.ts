/**
 * evolve(): applies one fact to the state. Events already happened, so evolve never rejects a
 * business rule; it only throws InvalidEventHistoryError for histories decide() cannot
 * produce. It never mutates its inputs: states may be cached or shared by callers.
 */
import { InvalidEventHistoryError, assertNever } from './errors.js';
import type { OrderEvent, OrderPlaced, ShipmentStatusChanged } from './events.js';
import type { OrderState } from './types.js';

function placedState({ data }: OrderPlaced): OrderState {
  return {
    orderId: data.orderId,
    customerId: data.customerId,
    customer: { ...data.customer },
    region: data.region,
    paymentProvider: data.paymentProvider,
    currency: data.currency,
    lines: data.lines.map((line) => ({ ...line })),
    totalCents: data.totalCents,
    status: 'placed',
    payment: { state: 'pending', provider: null, reference: null, authorizedCents: 0, declineCount: 0, lastDeclineReason: null },
    shipment: null,
    refund: { state: 'none', refundedCents: 0 },
    disputes: [],
    riskFlags: [],
    noteCount: 0,
    cancellationReason: null,
    version: 1,
    placedAt: data.at,
    updatedAt: data.at,
  };
}

function shipmentChanged(state: OrderState, { data }: ShipmentStatusChanged): OrderState {
  if (state.shipment === null) throw new InvalidEventHistoryError(`ShipmentStatusChanged before OrderShipped on ${state.orderId}`);
  // The order's own status follows the shipment only once the outcome is final.
  const status = data.status === 'in_transit' ? state.status : data.status;
  return { ...state, status, shipment: { ...state.shipment, status: data.status } };
}

function applyTo(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case 'OrderPlaced':
      throw new InvalidEventHistoryError(`OrderPlaced for existing order ${state.orderId}`);
    case 'PaymentAuthorized': {
      const { provider, reference, amountCents } = event.data;
      const payment = { ...state.payment, state: 'authorized' as const, provider, reference, authorizedCents: amountCents };
      return { ...state, status: 'authorized', payment };
    }
    case 'PaymentDeclined': {
      const { provider, reference, reason, declineCount } = event.data;
      const payment = { ...state.payment, state: 'declined' as const, provider, reference, declineCount, lastDeclineReason: reason };
      return { ...state, payment };
    }
    case 'OrderShipped': {
      const { carrier, trackingNumber } = event.data;
      return { ...state, status: 'shipped', shipment: { carrier, trackingNumber, status: 'shipped' } };
    }
    case 'ShipmentStatusChanged':
      return shipmentChanged(state, event);
    case 'OrderCancelled': {
      const payment = event.data.paymentVoided ? { ...state.payment, state: 'voided' as const } : state.payment;
      return { ...state, status: 'cancelled', cancellationReason: event.data.reason, payment };
    }
    case 'RefundIssued':
      return { ...state, refund: { state: event.data.refundState, refundedCents: event.data.refundedCents } };
    case 'NoteAdded':
      return { ...state, noteCount: state.noteCount + 1 };
    case 'DisputeOpened': {
      const dispute = { disputeId: event.data.disputeId, reason: event.data.reason, status: 'open' as const, outcome: null };
      return { ...state, disputes: [...state.disputes, dispute] };
    }
    case 'DisputeResolved': {
      const { disputeId, outcome } = event.data;
      const disputes = state.disputes.map((d) => (d.disputeId === disputeId ? { ...d, status: 'resolved' as const, outcome } : d));
      return { ...state, disputes };
    }
    case 'RiskFlagged':
      return { ...state, riskFlags: [...state.riskFlags, { flag: event.data.flag, reason: event.data.reason }] };
    default:
      return assertNever(event);
  }
}

export function evolve(state: OrderState | null, event: OrderEvent): OrderState {
  if (state === null) {
    if (event.type !== 'OrderPlaced') throw new InvalidEventHistoryError(`${event.type} before OrderPlaced`);
    return placedState(event);
  }
  if (event.data.orderId !== state.orderId) {
    throw new InvalidEventHistoryError(`${event.type} for order ${event.data.orderId} applied to order ${state.orderId}`);
  }
  return { ...applyTo(state, event), version: state.version + 1, updatedAt: event.data.at };
}

/** Rebuilds an order from its full history (tests, read-model rebuilds). */
export function fold(events: readonly OrderEvent[]): OrderState {
  const state = events.reduce<OrderState | null>(evolve, null);
  if (state === null) throw new InvalidEventHistoryError('cannot fold an empty history');
  return state;
}
