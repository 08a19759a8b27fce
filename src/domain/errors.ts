/**
 * Domain errors are values, not exceptions: a rejected command is an expected outcome the
 * HTTP layer maps to a problem response. Messages and details end up in responses and logs,
 * so they carry ids, SKUs, statuses and amounts only, never customer data or free text.
 */
import type { OrderCommandType } from './commands.js';
import type { OrderEvent } from './events.js';
import type { OrderStatus } from './types.js';

export const DOMAIN_ERROR_CODES = [
  'unknown_sku',
  'currency_mismatch',
  'insufficient_stock',
  'invalid_quantity',
  'empty_order',
  'amount_mismatch',
  'provider_mismatch',
  'refund_exceeds_authorized',
  'illegal_transition',
  'dispute_already_open',
  'dispute_not_found',
  'order_not_found',
  'order_exists',
  'invalid_amount',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type Decision = { ok: true; events: OrderEvent[] } | { ok: false; error: DomainError };

export function accept(...events: OrderEvent[]): Decision {
  return { ok: true, events };
}

export function reject(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}): Decision {
  return { ok: false, error: { code, message, details } };
}

/** The HTTP layer answers 409 with currentStatus, so both fields are always present. */
export function illegalTransition(
  command: OrderCommandType,
  currentStatus: OrderStatus,
  extra: Record<string, unknown> = {},
): Decision {
  return reject('illegal_transition', `${command} is not allowed while the order is ${currentStatus}`, {
    currentStatus,
    command,
    ...extra,
  });
}

/** An illegal transition whose reason is not the status alone (a dispute, a refund): says which. */
export function notAllowedBecause(
  command: OrderCommandType,
  currentStatus: OrderStatus,
  because: string,
  extra: Record<string, unknown> = {},
): Decision {
  return reject('illegal_transition', `${command} is not allowed: ${because}`, { currentStatus, command, ...extra });
}

/**
 * Thrown by evolve() for a history that decide() could never have produced (for example an
 * event before OrderPlaced): that is corrupted storage or a bug, not a business outcome.
 */
export class InvalidEventHistoryError extends Error {
  override readonly name = 'InvalidEventHistoryError';
}

/** Compile-time exhaustiveness check for switches over the command and event unions. */
export function assertNever(value: never): never {
  // Only the discriminant is named: the rest of a command may hold customer data.
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : value;
  throw new Error(`unhandled variant: ${String(type)}`);
}
