import type { DomainErrorCode } from '../domain/index.js';
import type { CommandRejected } from '../commands/errors.js';
import { ProblemError } from './problem.js';

/** How each business refusal reads over HTTP. */
const STATUS: Record<DomainErrorCode | 'version_mismatch', { status: number; title: string }> = {
  order_not_found: { status: 404, title: 'Order not found' },
  dispute_not_found: { status: 404, title: 'Dispute not found' },
  unknown_sku: { status: 422, title: 'Unknown product' },
  currency_mismatch: { status: 422, title: 'Currency mismatch' },
  invalid_quantity: { status: 422, title: 'Invalid quantity' },
  empty_order: { status: 422, title: 'Empty order' },
  amount_mismatch: { status: 422, title: 'Amount does not match the order total' },
  invalid_amount: { status: 422, title: 'Invalid amount' },
  provider_mismatch: { status: 422, title: 'Payment provider does not match the order' },
  insufficient_stock: { status: 409, title: 'Insufficient stock' },
  refund_exceeds_authorized: { status: 409, title: 'Refund exceeds the authorized amount' },
  illegal_transition: { status: 409, title: 'Not allowed in the current state' },
  dispute_already_open: { status: 409, title: 'A dispute is already open' },
  order_exists: { status: 409, title: 'Order already exists' },
  version_mismatch: { status: 412, title: 'Precondition failed' },
};

export function rejectionProblem(rejection: CommandRejected): ProblemError {
  const { code, message, details } = rejection.error;
  const { status, title } = STATUS[code];
  return new ProblemError({ status, title, detail: message, type: code.replaceAll('_', '-'), extensions: { code, ...details } });
}
