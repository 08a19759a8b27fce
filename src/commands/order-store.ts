import type { Transaction } from 'kysely';
import { restoreState, type OrderState } from '../domain/index.js';
import type { Database } from '../db/schema.js';

type Trx = Transaction<Database>;

/** Whose orders a command may touch; a customer-bound caller reaches its own customer's only. */
export interface OrderAccess {
  customerId?: string;
}

/**
 * Locks the order row for the rest of the transaction: commands on one order serialize here.
 * Another customer's order is filtered out by the same query, so it is neither locked nor
 * read, and comes back as null exactly like an order that does not exist.
 */
export async function lockOrderForUpdate(trx: Trx, orderId: string, access: OrderAccess = {}): Promise<OrderState | null> {
  const { customerId } = access;
  const row = await trx
    .selectFrom('orders').select('state').where('id', '=', orderId)
    .$if(customerId !== undefined, (query) => query.where('customer_id', '=', customerId!))
    .forUpdate()
    .executeTakeFirst();
  // Checked, not cast: a malformed stored state must stop the command, not feed decide().
  return row ? restoreState(row.state) : null;
}

/** Writes the evolved order; the version predicate is a second guard behind the row lock. */
export async function saveOrder(trx: Trx, order: OrderState, previousVersion: number): Promise<void> {
  const result = await trx
    .updateTable('orders')
    .set({ status: order.status, version: order.version, state: JSON.stringify(order), updated_at: order.updatedAt })
    .where('id', '=', order.orderId)
    .where('version', '=', previousVersion)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error(`order ${order.orderId} changed under its row lock`);
}
