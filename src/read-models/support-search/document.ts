import type { StoredOrderEvent } from '../../outbox/envelope.js';

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
  sourceVersion: number;
  lastEventId: string;
  lastEventAt: string;
  projectedAt: string;
}

export function toSearchDocument(event: StoredOrderEvent, projectedAt: Date): OrderSearchDocument {
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
    sourceVersion: event.aggregateVersion,
    lastEventId: event.eventId,
    lastEventAt: event.occurredAt.toISOString(),
    projectedAt: projectedAt.toISOString(),
  };
}
