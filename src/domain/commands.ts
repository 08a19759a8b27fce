/**
 * Commands: requests to change one order. Each carries `at`, the ISO-8601 time the caller
 * decided it happened, because the domain never reads a clock.
 */
import type { Currency, CustomerDetails, DisputeOutcome } from './types.js';

export interface OrderItem {
  sku: string;
  quantity: number;
}

/** What the write path read from the products table, keyed by SKU. */
export interface CatalogEntry {
  name: string;
  priceCents: number;
  /** A plain string: the catalog may hold currencies this order cannot use. */
  currency: string;
  stock: number;
}

export type Catalog = Readonly<Record<string, CatalogEntry>>;

export interface PlaceOrder {
  type: 'PlaceOrder';
  at: string;
  orderId: string;
  customerId: string;
  customer: CustomerDetails;
  region: string;
  paymentProvider: string;
  currency: Currency;
  items: OrderItem[];
  catalog: Catalog;
}

export interface AuthorizePayment {
  type: 'AuthorizePayment';
  at: string;
  provider: string;
  reference: string;
  amountCents: number;
  outcome: 'approved' | 'declined';
  reason?: string;
}

export interface ShipOrder {
  type: 'ShipOrder';
  at: string;
  carrier: string;
  trackingNumber: string;
}

export interface RecordShipmentStatus {
  type: 'RecordShipmentStatus';
  at: string;
  status: 'in_transit' | 'delivered' | 'lost';
}

export interface CancelOrder {
  type: 'CancelOrder';
  at: string;
  reason: string;
}

export interface IssueRefund {
  type: 'IssueRefund';
  at: string;
  refundId: string;
  amountCents: number;
  reason: string;
}

export interface AddNote {
  type: 'AddNote';
  at: string;
  noteId: string;
  text: string;
  author: string;
}

export interface OpenDispute {
  type: 'OpenDispute';
  at: string;
  disputeId: string;
  reason: string;
}

export interface ResolveDispute {
  type: 'ResolveDispute';
  at: string;
  disputeId: string;
  outcome: DisputeOutcome;
  comment: string;
}

export interface FlagRisk {
  type: 'FlagRisk';
  at: string;
  flag: string;
  reason: string;
}

export type OrderCommand =
  | PlaceOrder
  | AuthorizePayment
  | ShipOrder
  | RecordShipmentStatus
  | CancelOrder
  | IssueRefund
  | AddNote
  | OpenDispute
  | ResolveDispute
  | FlagRisk;

export type OrderCommandType = OrderCommand['type'];

// A Record keyed by the union makes the compiler reject a list that misses a command.
const COMMAND_TYPE_SET: Record<OrderCommandType, true> = {
  PlaceOrder: true,
  AuthorizePayment: true,
  ShipOrder: true,
  RecordShipmentStatus: true,
  CancelOrder: true,
  IssueRefund: true,
  AddNote: true,
  OpenDispute: true,
  ResolveDispute: true,
  FlagRisk: true,
};

export const ORDER_COMMAND_TYPES: readonly OrderCommandType[] = Object.freeze(
  Object.keys(COMMAND_TYPE_SET) as OrderCommandType[],
);
