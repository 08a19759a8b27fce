import type { Transaction } from 'kysely';
import { decide, evolve, type OrderCommand, type OrderEvent, type OrderState } from '../domain/index.js';
import type { Database } from '../db/schema.js';
import { appendOrderEvents, type AppendedEvent } from '../outbox/append.js';
import { CommandRejected, orderNotFound, staleVersion } from './errors.js';
import { adjustStock } from './inventory.js';
import { lockOrderForUpdate, saveOrder, type OrderAccess } from './order-store.js';
import { versionMatches, type VersionCondition } from './version-condition.js';

export interface CommandOutcome {
  order: OrderState;
  events: AppendedEvent[];
}

/** Folds new events onto a state, keeping every intermediate state for the outbox payloads. */
export function applyEvents(state: OrderState | null, events: readonly OrderEvent[]): OrderState[] {
  const states: OrderState[] = [];
  let current = state;
  for (const event of events) {
    current = evolve(current, event);
    states.push(current);
  }
  return states;
}

/** Stock effects of an event on the write side (the read side learns of them from the outbox). */
function stockChanges(events: readonly OrderEvent[]): Array<{ sku: string; delta: number }> {
  return events.flatMap((event) =>
    event.type === 'OrderCancelled' ? event.data.releasedItems.map((i) => ({ sku: i.sku, delta: i.quantity })) : [],
  );
}

/**
 * Runs one command against an existing order inside the caller's transaction: lock, check
 * the expected version (If-Match) under that lock, decide, evolve, save, append to the outbox.
 * All or nothing. An order outside `access` is "not found" before anything else is checked,
 * so neither its version nor its state can be probed.
 */
export async function executeOrderCommand(
  trx: Transaction<Database>,
  orderId: string,
  command: Exclude<OrderCommand, { type: 'PlaceOrder' }>,
  expected: VersionCondition | undefined,
  access: OrderAccess = {},
): Promise<CommandOutcome> {
  const state = await lockOrderForUpdate(trx, orderId, access);
  if (!state) throw orderNotFound(orderId);
  if (expected !== undefined && !versionMatches(expected, state.version)) {
    throw staleVersion('order', state.version, expected === 'any' ? [] : expected);
  }
  const decision = decide(command, state);
  if (!decision.ok) throw new CommandRejected(decision.error);
  const states = applyEvents(state, decision.events);
  const order = states.at(-1) ?? state;
  if (states.length > 0) await saveOrder(trx, order, state.version);
  await adjustStock(trx, stockChanges(decision.events));
  const events = await appendOrderEvents(trx, decision.events, states, new Date(command.at));
  return { order, events };
}
