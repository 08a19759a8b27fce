/**
 * Events: facts that happened to one order. Each carries what evolve() needs plus `at`, and
 * `orderId` so projections can use an event without its envelope.
 */
import type {
  Currency,
  CustomerDetails,
  DisputeOutcome,
  OrderLine,
  RefundState,
  ShipmentStatus,
} from './types.js';

interface EventData {
  orderId: string;
  at: string;
}

export interface OrderPlaced {
  type: 'OrderPlaced';
  data: EventData & {
    customerId: string;
    customer: CustomerDetails;
    region: string;
    paymentProvider: string;
    currency: Currency;
    lines: OrderLine[];
    totalCents: number;
  };
}

export interface PaymentAuthorized {
  type: 'PaymentAuthorized';
  data: EventData & { provider: string; reference: string; amountCents: number };
}

export interface PaymentDeclined {
  type: 'PaymentDeclined';
  /** declineCount is the count after this decline, so consumers need no prior state. */
  data: EventData & {
    provider: string;
    reference: string;
    amountCents: number;
    reason: string | null;
    declineCount: number;
  };
}

export interface OrderShipped {
  type: 'OrderShipped';
  data: EventData & { carrier: string; trackingNumber: string };
}

export interface ShipmentStatusChanged {
  type: 'ShipmentStatusChanged';
  data: EventData & { from: ShipmentStatus; status: 'in_transit' | 'delivered' | 'lost' };
}

export interface OrderCancelled {
  type: 'OrderCancelled';
  /**
   * releasedItems go back to stock; paymentVoided says an authorization existed and must be
   * voided at the provider (a pending or declined payment has nothing to void).
   */
  data: EventData & {
    reason: string;
    releasedItems: { sku: string; quantity: number }[];
    paymentVoided: boolean;
  };
}

export interface RefundIssued {
  type: 'RefundIssued';
  data: EventData & {
    refundId: string;
    amountCents: number;
    reason: string;
    refundedCents: number;
    refundState: Exclude<RefundState, 'none'>;
  };
}

export interface NoteAdded {
  type: 'NoteAdded';
  data: EventData & { noteId: string; text: string; author: string };
}

export interface DisputeOpened {
  type: 'DisputeOpened';
  data: EventData & { disputeId: string; reason: string };
}

export interface DisputeResolved {
  type: 'DisputeResolved';
  data: EventData & { disputeId: string; outcome: DisputeOutcome; comment: string };
}

export interface RiskFlagged {
  type: 'RiskFlagged';
  data: EventData & { flag: string; reason: string };
}

export type OrderEvent =
  | OrderPlaced
  | PaymentAuthorized
  | PaymentDeclined
  | OrderShipped
  | ShipmentStatusChanged
  | OrderCancelled
  | RefundIssued
  | NoteAdded
  | DisputeOpened
  | DisputeResolved
  | RiskFlagged;

export type OrderEventType = OrderEvent['type'];

// A Record keyed by the union makes the compiler reject a list that misses an event.
const EVENT_TYPE_SET: Record<OrderEventType, true> = {
  OrderPlaced: true,
  PaymentAuthorized: true,
  PaymentDeclined: true,
  OrderShipped: true,
  ShipmentStatusChanged: true,
  OrderCancelled: true,
  RefundIssued: true,
  NoteAdded: true,
  DisputeOpened: true,
  DisputeResolved: true,
  RiskFlagged: true,
};

export const ORDER_EVENT_TYPES: readonly OrderEventType[] = Object.freeze(
  Object.keys(EVENT_TYPE_SET) as OrderEventType[],
);

export function isOrderEventType(value: string): value is OrderEventType {
  return Object.hasOwn(EVENT_TYPE_SET, value);
}
