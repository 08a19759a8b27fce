import { randomUUID } from 'node:crypto';
import { executeOrderCommand } from '../../src/commands/execute.js';
import { placeOrder } from '../../src/commands/place-order.js';
import type { Db } from '../../src/db/database.js';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import type { FollowUp } from './order-events.js';
import { eventually } from './poll.js';

const at = () => new Date().toISOString();
const TOTAL = 5000; // 2 × 2500, see placeOrderWithId

const pay = (): FollowUp => ({ type: 'AuthorizePayment', at: at(), provider: 'adyen', reference: 'psp-ok', amountCents: TOTAL, outcome: 'approved' });
const decline = (): FollowUp => ({ type: 'AuthorizePayment', at: at(), provider: 'adyen', reference: 'psp-no', amountCents: TOTAL, outcome: 'declined', reason: 'insufficient funds' });
const ship = (): FollowUp => ({ type: 'ShipOrder', at: at(), carrier: 'DHL', trackingNumber: `TRK-${randomUUID().slice(0, 6)}` });
const carrier = (status: 'in_transit' | 'delivered' | 'lost'): FollowUp => ({ type: 'RecordShipmentStatus', at: at(), status });
const cancel = (): FollowUp => ({ type: 'CancelOrder', at: at(), reason: 'changed my mind' });
const refund = (amountCents: number): FollowUp => ({ type: 'IssueRefund', at: at(), refundId: randomUUID(), amountCents, reason: 'damaged' });
const note = (): FollowUp => ({ type: 'AddNote', at: at(), noteId: randomUUID(), text: 'called the customer', author: 'support-1' });
const flag = (name: string): FollowUp => ({ type: 'FlagRisk', at: at(), flag: name, reason: 'pattern' });
const DISPUTE_IDS = [randomUUID(), randomUUID()] as const;
const openDispute = (id: string): FollowUp => ({ type: 'OpenDispute', at: at(), disputeId: id, reason: 'not received' });
const resolve = (id: string, outcome: 'upheld' | 'rejected'): FollowUp => ({ type: 'ResolveDispute', at: at(), disputeId: id, outcome, comment: 'checked' });

/** One history per order, together every event type and the paths the order rules allow. */
const HISTORIES: Array<() => FollowUp[]> = [
  () => [],
  () => [pay()],
  () => [decline(), decline(), pay(), ship(), carrier('in_transit'), carrier('delivered'), refund(1200)],
  () => [pay(), cancel()],
  () => [note(), cancel()],
  () => [pay(), ship(), carrier('lost')],
  () => [pay(), openDispute(DISPUTE_IDS[0]), note(), resolve(DISPUTE_IDS[0], 'rejected'), refund(TOTAL)],
  () => [pay(), refund(1000), openDispute(DISPUTE_IDS[1]), resolve(DISPUTE_IDS[1], 'upheld')],
  () => [flag('velocity'), note(), note(), pay(), flag('chargeback-risk')],
  () => [pay(), refund(2000), refund(3000), cancel()],
];

async function placeOne(db: Db, index: number): Promise<string> {
  const sku = `SKU-${randomUUID().slice(0, 6).toUpperCase()}`;
  await db.insertInto('products').values({ sku, name: 'Lamp', price_cents: 2500, currency: 'EUR', stock: 10 }).execute();
  const placed = await db.transaction().execute((trx) => placeOrder(trx, {
    orderId: randomUUID(), at: at(), customerId: `c-${index % 3}`, region: 'eu', paymentProvider: 'adyen', currency: 'EUR',
    customer: { email: `buyer${index}@example.com`, phone: '+4930123456', name: `Buyer ${index}` },
    items: [{ sku, quantity: 2 }],
  }));
  return placed.order.orderId;
}

/**
 * Runs real commands on the write model (no HTTP, no relay), one transaction each, the
 * orders' steps interleaved as concurrent traffic would leave them in the log.
 */
export async function writeRealisticLog(db: Db): Promise<void> {
  const plans = HISTORIES.map((history) => history());
  const orderIds = await Promise.all(plans.map((_plan, i) => placeOne(db, i)));
  const longest = Math.max(...plans.map((p) => p.length));
  for (let step = 0; step < longest; step++) {
    for (const [i, plan] of plans.entries()) {
      const command = plan[step];
      if (command) await db.transaction().execute((trx) => executeOrderCommand(trx, orderIds[i]!, command, undefined));
    }
  }
}

/** Claims every event as the relay does, `size` at a time: the batches, as event ids in claim order. */
export async function claimAll(db: Db, size: number): Promise<string[][]> {
  const outboxId = await readOutboxId(db);
  const batches: string[][] = [];
  await eventually('every event claimed', async () => {
    for (let batch = await claimBatch(db, outboxId, size); batch; batch = await claimBatch(db, outboxId, size)) {
      batches.push(batch.events.map((e) => e.eventId));
    }
    const left = await db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<number>().as('n')).where('batch_id', 'is', null).executeTakeFirstOrThrow();
    return Number(left.n) === 0; // rows stay ineligible while older transactions run anywhere on the server
  });
  return batches;
}
