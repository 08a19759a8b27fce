/**
 * The order aggregate's state. Money is always integer minor units ("cents"; whole yen for
 * JPY) held in a `number` that must stay a safe integer, so arithmetic is exact.
 */

export const SUPPORTED_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'SEK', 'INR', 'BRL'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

export function isCurrency(value: string): value is Currency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(value);
}

export const ORDER_STATUSES = ['placed', 'authorized', 'shipped', 'delivered', 'lost', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Once reached, the fulfilment lifecycle is over: the status never changes again. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['cancelled', 'delivered', 'lost'];

export function isTerminalStatus(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export interface CustomerDetails {
  email: string;
  phone: string;
  name: string;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export type PaymentState = 'pending' | 'authorized' | 'declined' | 'voided';

export interface Payment {
  state: PaymentState;
  /** Provider and reference of the latest attempt (approved or declined), null before any. */
  provider: string | null;
  reference: string | null;
  authorizedCents: number;
  declineCount: number;
  lastDeclineReason: string | null;
}

export type ShipmentStatus = 'shipped' | 'in_transit' | 'delivered' | 'lost';

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
}

export type RefundState = 'none' | 'partial' | 'full';

export interface Refund {
  state: RefundState;
  refundedCents: number;
}

export type DisputeOutcome = 'upheld' | 'rejected';

export interface Dispute {
  disputeId: string;
  reason: string;
  status: 'open' | 'resolved';
  outcome: DisputeOutcome | null;
}

export interface RiskFlag {
  flag: string;
  reason: string;
}

export interface OrderState {
  orderId: string;
  customerId: string;
  customer: CustomerDetails;
  region: string;
  paymentProvider: string;
  currency: Currency;
  lines: OrderLine[];
  totalCents: number;
  status: OrderStatus;
  payment: Payment;
  shipment: Shipment | null;
  refund: Refund;
  disputes: Dispute[];
  riskFlags: RiskFlag[];
  noteCount: number;
  cancellationReason: string | null;
  /** 1 after OrderPlaced, +1 per event: the optimistic-concurrency token of the write path. */
  version: number;
  placedAt: string;
  updatedAt: string;
}
