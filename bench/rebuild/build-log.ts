import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { applyEvents } from '../../src/commands/execute.js';
import type { Db } from '../../src/db/database.js';
import { decide, type Catalog, type OrderCommand, type OrderEvent, type OrderState } from '../../src/domain/index.js';
import { outboxRowsSql, toOutboxRows, type OutboxRow } from '../../src/outbox/append.js';

type FollowUp = Exclude<OrderCommand, { type: 'PlaceOrder' }>;

const PRICE_CENTS = 2_500;
const QUANTITY = 2;
const TOTAL = PRICE_CENTS * QUANTITY;
const SKUS = ['REBUILD-LAMP', 'REBUILD-MUG', 'REBUILD-DESK', 'REBUILD-CHAIR'];
/** Orders per transaction: three multi-row statements each, as a bulk import would write them. */
const ORDERS_PER_TRANSACTION = 200;
const WRITERS = 2;

const at = () => new Date().toISOString();
const pay = (): FollowUp => ({ type: 'AuthorizePayment', at: at(), provider: 'adyen', reference: 'psp-ok', amountCents: TOTAL, outcome: 'approved' });
const ship = (): FollowUp => ({ type: 'ShipOrder', at: at(), carrier: 'DHL', trackingNumber: `TRK-${randomUUID().slice(0, 8)}` });
const carrier = (status: 'in_transit' | 'delivered' | 'lost'): FollowUp => ({ type: 'RecordShipmentStatus', at: at(), status });
const note = (text: string): FollowUp => ({ type: 'AddNote', at: at(), noteId: randomUUID(), text, author: 'support-1' });

/** Five lifecycles, cycled through, so every projection has work of every kind. */
const LIFECYCLES: Array<() => FollowUp[]> = [
  () => [pay(), ship(), carrier('in_transit'), carrier('delivered')],
  () => [pay(), note('called the customer')],
  () => [pay(), { type: 'CancelOrder', at: at(), reason: 'changed my mind' }],
  () => [pay(), { type: 'IssueRefund', at: at(), refundId: randomUUID(), amountCents: 1_000, reason: 'damaged' }, ship()],
  () => [{ type: 'FlagRisk', at: at(), flag: 'velocity', reason: 'pattern' }, pay(), ship(), carrier('in_transit'), carrier('lost'), note('claim filed')],
];
const EVENTS_PER_CYCLE = LIFECYCLES.reduce((sum, plan) => sum + 1 + plan().length, 0);

const catalog: Catalog = Object.fromEntries(SKUS.map((sku) => [sku, { name: `Bench ${sku}`, priceCents: PRICE_CENTS, currency: 'EUR', stock: 1_000_000_000 }]));

interface WrittenOrder {
  order: OrderState;
  rows: OutboxRow[];
}

/** Runs one command through the domain's own rules; a refusal would be a bug in the plan. */
function decided(command: OrderCommand, state: OrderState | null): { events: OrderEvent[]; states: OrderState[] } {
  const decision = decide(command, state);
  if (!decision.ok) throw new Error(`the bench log plan broke a rule: ${command.type}: ${decision.error.code}`);
  return { events: decision.events, states: applyEvents(state, decision.events) };
}

/** One order through a whole lifecycle, decided and evolved in process: every event valid by construction. */
function orderLifecycle(index: number): WrittenOrder {
  const placeAt = at();
  const place: OrderCommand = {
    type: 'PlaceOrder', orderId: randomUUID(), at: placeAt, customerId: `c-${index % 500}`, region: 'eu-west', paymentProvider: 'adyen', currency: 'EUR',
    customer: { email: `buyer${index}@example.com`, phone: '+4930123456', name: `Buyer ${index}` },
    items: [{ sku: SKUS[index % SKUS.length]!, quantity: QUANTITY }], catalog,
  };
  const first = decided(place, null);
  const rows = toOutboxRows(first.events, first.states, new Date(placeAt));
  let order = first.states.at(-1)!;
  for (const command of LIFECYCLES[index % LIFECYCLES.length]!()) {
    const next = decided(command, order);
    rows.push(...toOutboxRows(next.events, next.states, new Date(command.at)));
    order = next.states.at(-1) ?? order;
  }
  return { order, rows };
}

/** The orders, their items and their events in one transaction of three statements. */
async function writeOrders(db: Db, written: WrittenOrder[]): Promise<number> {
  const orders = written.map(({ order }) => ({
    id: order.orderId, customer_id: order.customerId, status: order.status, version: order.version, total_cents: order.totalCents,
    currency: order.currency, state: JSON.stringify(order), created_at: order.placedAt, updated_at: order.updatedAt,
  }));
  const items = written.flatMap(({ order }) => order.lines.map((l) => ({
    order_id: order.orderId, sku: l.sku, name: l.name, quantity: l.quantity, unit_price_cents: l.unitPriceCents, line_total_cents: l.lineTotalCents,
  })));
  const rows = written.flatMap((w) => w.rows);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('orders').values(orders).execute();
    await trx.insertInto('order_items').values(items).execute();
    await sql`insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
      select * from ${outboxRowsSql(rows)}`.execute(trx);
  });
  return rows.length;
}

/**
 * Writes at least `events` valid events: each order's commands are decided and evolved by the
 * domain's own functions in process (as the API's commands do), then the orders and their
 * outbox rows are written in bulk, many orders per transaction. Stock is not reserved: the
 * catalog holds more than the log could take, and no read model reads it.
 */
export async function buildLog(db: Db, events: number, progress: (written: number) => void): Promise<number> {
  await db.insertInto('products').values(SKUS.map((sku) => ({ sku, name: catalog[sku]!.name, price_cents: PRICE_CENTS, currency: 'EUR', stock: 1_000_000_000 }))).execute();
  const orders = Math.ceil(events / EVENTS_PER_CYCLE) * LIFECYCLES.length;
  let next = 0;
  let written = 0;
  const writer = async () => {
    while (next < orders) {
      const first = next;
      next = Math.min(orders, first + ORDERS_PER_TRANSACTION);
      const batch = Array.from({ length: next - first }, (_, i) => orderLifecycle(first + i));
      const count = await writeOrders(db, batch);
      written += count;
      progress(written);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return written;
}
