/**
 * Snapshots: the write model stores the folded state (orders.state, jsonb) so a command needs
 * one row, not the whole history. What comes back from storage is untrusted JSON, so it is
 * checked before decide() relies on it.
 */
import { InvalidEventHistoryError } from './errors.js';
import type { OrderEvent } from './events.js';
import { evolve } from './evolve.js';
import { ORDER_STATUSES, isCurrency, type OrderState } from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): boolean => v === null || isString(v);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const oneOf = (v: unknown, allowed: readonly string[]): boolean => isString(v) && allowed.includes(v);
const hasStrings = (v: unknown, keys: readonly string[]): v is Json => isObject(v) && keys.every((k) => isString(v[k]));

function isLine(v: unknown): boolean {
  return hasStrings(v, ['sku', 'name']) && isCount(v.quantity) && isCount(v.unitPriceCents) && isCount(v.lineTotalCents);
}

function isPayment(v: unknown): boolean {
  return (
    isObject(v) &&
    oneOf(v.state, ['pending', 'authorized', 'declined', 'voided']) &&
    isNullableString(v.provider) &&
    isNullableString(v.reference) &&
    isCount(v.authorizedCents) &&
    isCount(v.declineCount) &&
    isNullableString(v.lastDeclineReason)
  );
}

function isShipment(v: unknown): boolean {
  if (v === null) return true;
  return hasStrings(v, ['carrier', 'trackingNumber']) && oneOf(v.status, ['shipped', 'in_transit', 'delivered', 'lost']);
}

function isDispute(v: unknown): boolean {
  return (
    hasStrings(v, ['disputeId', 'reason']) &&
    oneOf(v.status, ['open', 'resolved']) &&
    (v.outcome === null || oneOf(v.outcome, ['upheld', 'rejected']))
  );
}

function isRefund(v: unknown): boolean {
  return isObject(v) && oneOf(v.state, ['none', 'partial', 'full']) && isCount(v.refundedCents);
}

function hasValidParts(v: Json): boolean {
  return (
    hasStrings(v.customer, ['email', 'phone', 'name']) &&
    Array.isArray(v.lines) && v.lines.every(isLine) &&
    isPayment(v.payment) && isShipment(v.shipment) && isRefund(v.refund) &&
    Array.isArray(v.disputes) && v.disputes.every(isDispute) &&
    Array.isArray(v.riskFlags) && v.riskFlags.every((f) => hasStrings(f, ['flag', 'reason']))
  );
}

/** Structural check of a stored state: shapes and enums, not business history. */
export function isOrderState(value: unknown): value is OrderState {
  return (
    hasStrings(value, ['orderId', 'customerId', 'region', 'paymentProvider', 'placedAt', 'updatedAt']) &&
    isString(value.currency) && isCurrency(value.currency) &&
    oneOf(value.status, ORDER_STATUSES) &&
    isCount(value.totalCents) && isCount(value.noteCount) &&
    Number.isSafeInteger(value.version) && (value.version as number) >= 1 &&
    isNullableString(value.cancellationReason) &&
    hasValidParts(value)
  );
}

/** Parses a stored snapshot, throwing on corruption rather than deciding on bad data. */
export function restoreState(value: unknown): OrderState {
  if (!isOrderState(value)) throw new InvalidEventHistoryError('stored order state is malformed');
  return value;
}

/** Applies events recorded after a snapshot (or after nothing, when state is null). */
export function replay(state: OrderState | null, events: readonly OrderEvent[]): OrderState | null {
  return events.reduce<OrderState | null>(evolve, state);
}
