import { sql, type SelectQueryBuilder } from 'kysely';
import type { Caller } from './auth.js';
import { ProblemError } from './problem.js';

/**
 * Narrows a read of a table with a `customer_id` column to the rows the caller may see. For a
 * customer-bound token, another customer's row is filtered out by the query itself: it is
 * never fetched, and its absence reads exactly like an id that does not exist.
 */
export function visibleTo<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, caller: Caller): SelectQueryBuilder<DB, TB, O> {
  const { customerId } = caller;
  return customerId === undefined ? query : query.where(sql.ref('customer_id'), '=', customerId);
}

/** A customer-bound token may place orders for its own customer only (403, before any write). */
export function requireOwnCustomer(caller: Caller, customerId: string): void {
  if (caller.customerId !== undefined && caller.customerId !== customerId) {
    throw new ProblemError({
      status: 403,
      title: 'Forbidden',
      detail: 'this token may place orders only for the customer it is bound to',
      type: 'customer-mismatch',
      extensions: { code: 'customer_mismatch' },
    });
  }
}
