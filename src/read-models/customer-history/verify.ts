import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/database.js';
import type { OrderState } from '../../domain/index.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold, VerifyFinding, VerifyReport } from '../read-model.js';
import { historyItem, type HistoryRow } from './queries.js';

/** What a reader must see for the order, written from the fold's state, not from the projection's mapping. */
function expectedItem(order: OrderState, newest: StoredOrderEvent) {
  return {
    customerId: order.customerId,
    orderId: order.orderId,
    status: order.status,
    paymentState: order.payment.state,
    refundState: order.refund.state,
    totalCents: order.totalCents,
    refundedCents: order.refund.refundedCents,
    currency: order.currency,
    region: order.region,
    paymentProvider: order.paymentProvider,
    itemCount: order.lines.reduce((n, line) => n + line.quantity, 0),
    placedAt: new Date(order.placedAt).toISOString(),
    shipment: order.shipment ? { status: order.shipment.status, carrier: order.shipment.carrier } : null,
    sourceVersion: order.version,
    lastEventId: newest.eventId,
    lastEventAt: newest.occurredAt.toISOString(),
  };
}

function seenItem(row: HistoryRow) {
  const { freshness, ...item } = historyItem(row);
  return { customerId: row.customer_id, ...item, sourceVersion: freshness.sourceVersion, lastEventId: freshness.lastEventId, lastEventAt: freshness.lastEventAt };
}

function newestEvents(events: readonly StoredOrderEvent[]): Map<string, StoredOrderEvent> {
  const newest = new Map<string, StoredOrderEvent>();
  for (const e of events) if ((newest.get(e.aggregateId)?.aggregateVersion ?? 0) < e.aggregateVersion) newest.set(e.aggregateId, e);
  return newest;
}

function compare(orderId: string, expected: Record<string, unknown>, seen: Record<string, unknown>): VerifyFinding[] {
  return Object.keys(expected)
    .filter((field) => !isDeepStrictEqual(expected[field], seen[field]))
    .map((field) => ({ orderId, problem: `${field} is ${JSON.stringify(seen[field])}, the log says ${JSON.stringify(expected[field])}` }));
}

/**
 * Every order of the log must be in the history under its customer, at the log's version and
 * with the log's fields; a row for an order the log does not have is a finding too.
 */
export async function verifyCustomerHistory(db: Db, fold: LogFold): Promise<VerifyReport> {
  const rows = new Map((await db.selectFrom('customer_order_history').selectAll().execute()).map((r) => [r.order_id, r]));
  const newest = newestEvents(fold.events);
  const findings: VerifyFinding[] = [];
  for (const [orderId, order] of fold.orders) {
    const row = rows.get(orderId);
    rows.delete(orderId);
    if (!row) findings.push({ orderId, problem: `missing from customer ${order.customerId}'s history` });
    else findings.push(...compare(orderId, expectedItem(order, newest.get(orderId)!), seenItem(row)));
  }
  for (const orderId of rows.keys()) findings.push({ orderId, problem: 'in the history but not in the log' });
  return { checked: fold.orders.size, findings };
}
