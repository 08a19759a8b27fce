import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { foldForSearch, reversedDigits } from './folding.js';

/** The support-search view of an order: flat, filterable, with its freshness. */
export interface OrderSearchDocument {
  orderId: string;
  customerId: string;
  email: string;
  phone: string;
  customerName: string;
  status: string;
  paymentState: string;
  paymentProvider: string;
  refundState: string;
  shipmentCarrier: string | null;
  shipmentStatus: string | null;
  region: string;
  currency: string;
  totalCents: number;
  skus: string[];
  riskFlags: string[];
  openDispute: boolean;
  placedAt: string;
  /** The text of every note up to `sourceVersion`, oldest first. */
  notes: string[];
  /** For suffix search: "+14155550123" is kept as "32105555141". */
  phoneDigitsReversed: string;
  /** Customer name, email and notes, folded (see folding.ts): what `q` searches. */
  searchText: string;
  sourceVersion: number;
  lastEventId: string;
  lastEventAt: string;
  projectedAt: string;
}

/** Fields that serve the search only and are never part of an answer. */
export const SEARCH_ONLY_FIELDS = ['notes', 'phoneDigitsReversed', 'searchText'] as const;

/**
 * The document of an order at the version of `event`, which carries the order's whole state;
 * `notes` are the texts of its NoteAdded events up to that version, oldest first.
 */
export function toSearchDocument(event: StoredOrderEvent, notes: readonly string[], projectedAt: Date): OrderSearchDocument {
  const order = event.payload.order;
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    email: order.customer.email,
    phone: order.customer.phone,
    customerName: order.customer.name,
    status: order.status,
    paymentState: order.payment.state,
    paymentProvider: order.paymentProvider,
    refundState: order.refund.state,
    shipmentCarrier: order.shipment?.carrier ?? null,
    shipmentStatus: order.shipment?.status ?? null,
    region: order.region,
    currency: order.currency,
    totalCents: order.totalCents,
    skus: order.lines.map((line) => line.sku),
    riskFlags: order.riskFlags.map((f) => f.flag),
    openDispute: order.disputes.some((d) => d.status === 'open'),
    placedAt: order.placedAt,
    notes: [...notes],
    phoneDigitsReversed: reversedDigits(order.customer.phone),
    searchText: foldForSearch([order.customer.name, order.customer.email, ...notes].join(' ')),
    sourceVersion: event.aggregateVersion,
    lastEventId: event.eventId,
    lastEventAt: event.occurredAt.toISOString(),
    projectedAt: projectedAt.toISOString(),
  };
}
