import type { Transaction } from 'kysely';
import { decide, type Catalog, type PlaceOrder } from '../domain/index.js';
import type { Database } from '../db/schema.js';
import { appended, toOutboxRows } from '../outbox/append.js';
import { CommandRejected } from './errors.js';
import { applyEvents, type CommandOutcome } from './execute.js';
import { lockProducts } from './inventory.js';
import { writeNewOrder } from './new-order.js';

export type PlaceOrderInput = Omit<PlaceOrder, 'type' | 'catalog'>;

/**
 * Prices the order from the products table, reserves stock, and commits the order, its
 * items and its OrderPlaced event in the caller's transaction.
 */
export async function placeOrder(trx: Transaction<Database>, input: PlaceOrderInput): Promise<CommandOutcome> {
  const products = await lockProducts(trx, input.items.map((i) => i.sku));
  const catalog: Catalog = Object.fromEntries(
    [...products.values()].map((p) => [p.sku, { name: p.name, priceCents: p.price_cents, currency: p.currency, stock: p.stock }]),
  );
  const decision = decide({ type: 'PlaceOrder', ...input, catalog }, null);
  if (!decision.ok) throw new CommandRejected(decision.error);

  const states = applyEvents(null, decision.events);
  const order = states.at(-1)!;
  const outbox = toOutboxRows(decision.events, states, new Date(input.at));
  await writeNewOrder(trx, order, outbox);
  return { order, events: appended(outbox) };
}
