import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import { executeOrderCommand } from '../../src/commands/execute.js';
import { placeOrder } from '../../src/commands/place-order.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { storedEventColumns, toStoredEvent } from '../../src/outbox/load.js';

export type FollowUp = Parameters<typeof executeOrderCommand>[2];

/**
 * Now, but never the same millisecond twice: events of one order get distinct times, so a
 * test that compares an order's last event time never meets two events stamped alike.
 */
let lastAtMs = 0;
const at = () => {
  lastAtMs = Math.max(Date.now(), lastAtMs + 1);
  return new Date(lastAtMs).toISOString();
};

export const authorizeInFull = (provider = 'adyen'): FollowUp => ({ type: 'AuthorizePayment', at: at(), provider, reference: 'psp-1', amountCents: 5000, outcome: 'approved' });
export const flagRisk = (flag = 'velocity'): FollowUp => ({ type: 'FlagRisk', at: at(), flag, reason: 'many orders' });
export const ship = (): FollowUp => ({ type: 'ShipOrder', at: at(), carrier: 'DHL', trackingNumber: 'TRK-1' });

export interface Placement {
  region?: string;
  paymentProvider?: string;
}

/**
 * Places one order for 2 × 2500 EUR and runs `followUps` on it, straight on the write model
 * (no HTTP, no relay), and returns its outbox events: version 1 is the placement.
 */
export async function orderWithEvents(db: Db, followUps: FollowUp[], placement: Placement = {}): Promise<StoredOrderEvent[]> {
  const sku = `SKU-${randomUUID().slice(0, 6).toUpperCase()}`;
  await db.insertInto('products').values({ sku, name: 'Lamp', price_cents: 2500, currency: 'EUR', stock: 10 }).execute();
  const ids = await db.transaction().execute(async (trx) => {
    const placed = await placeOrder(trx, {
      orderId: randomUUID(), at: at(), customerId: 'c-1', region: placement.region ?? 'eu', paymentProvider: placement.paymentProvider ?? 'adyen', currency: 'EUR',
      customer: { email: 'x@example.com', phone: '+4930123456', name: 'X' },
      items: [{ sku, quantity: 2 }],
    });
    const ids = placed.events.map((e) => e.eventId);
    for (const command of followUps) {
      const outcome = await executeOrderCommand(trx, placed.order.orderId, command, undefined);
      ids.push(...outcome.events.map((e) => e.eventId));
    }
    return ids;
  });
  // Straight from the outbox, where new events are: some tests run this on a schema from before the event log.
  const rows = await db.selectFrom('outbox_events').select(storedEventColumns).where('event_id', 'in', ids).orderBy('position').execute();
  return rows.map(toStoredEvent);
}
