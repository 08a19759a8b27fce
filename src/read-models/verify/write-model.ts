import type { Db } from '../../db/database.js';
import { replay, type OrderEvent, type OrderState } from '../../domain/index.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold, VerifyFinding, VerifyReport } from '../read-model.js';
import { differingFields } from './compare.js';

function eventsPerOrder(fold: LogFold): Map<string, StoredOrderEvent[]> {
  const perOrder = new Map<string, StoredOrderEvent[]>();
  for (const event of fold.events) perOrder.set(event.aggregateId, [...(perOrder.get(event.aggregateId) ?? []), event]);
  for (const events of perOrder.values()) events.sort((a, b) => a.aggregateVersion - b.aggregateVersion);
  return perOrder;
}

/** An order's log: versions 1..n without gaps, and evolve over its changes gives the state its newest event carries. */
function historyFindings(orderId: string, events: StoredOrderEvent[]): VerifyFinding[] {
  const versions = events.map((e) => e.aggregateVersion);
  if (versions.some((v, i) => v !== i + 1)) {
    return [{ orderId, problem: `log versions are not 1..${events.length} (has ${versions.join(', ')})` }];
  }
  const findings: VerifyFinding[] = events
    .filter((e) => e.payload.order.version !== e.aggregateVersion)
    .map((e) => ({ orderId, problem: `event v${e.aggregateVersion} carries a state of v${e.payload.order.version}` }));
  try {
    const replayed = replay(null, events.map((e) => ({ type: e.type, data: e.payload.event }) as OrderEvent));
    const fields = differingFields(events.at(-1)!.payload.order, replayed ?? {});
    if (fields.length > 0) findings.push({ orderId, problem: `replaying the log differs from its newest state in ${fields.join(', ')}` });
  } catch (error) {
    findings.push({ orderId, problem: `the log cannot be replayed: ${(error as Error).message}` });
  }
  return findings;
}

type OrderRow = { version: number; status: string; customer_id: string; total_cents: number; currency: string; state: unknown };
type ItemRow = { sku: string; name: string; quantity: number; unit_price_cents: number; line_total_cents: number };

/** The columns beside the stored state, and the order's items, as the state says they are. */
function columnsOf(order: OrderState) {
  const items = [...order.lines].sort((a, b) => a.sku.localeCompare(b.sku))
    .map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unit_price_cents: l.unitPriceCents, line_total_cents: l.lineTotalCents }));
  return { status: order.status, customer_id: order.customerId, total_cents: order.totalCents, currency: order.currency, items };
}

/** The `orders` row and its `order_items` must be exactly the fold's newest state: version, columns and the whole stored state. */
function rowFindings(orderId: string, expected: OrderState, row: OrderRow, items: ItemRow[]): VerifyFinding[] {
  if (row.version !== expected.version) {
    return [{ orderId, problem: `wrong version: the write model holds v${row.version}, the log v${expected.version}` }];
  }
  const stored = { status: row.status, customer_id: row.customer_id, total_cents: row.total_cents, currency: row.currency, items };
  const fields = [
    ...differingFields(expected, (row.state ?? {}) as object),
    ...differingFields(columnsOf(expected), stored).map((name) => (name === 'items' ? 'order_items' : `${name} (column)`)),
  ];
  return fields.length > 0 ? [{ orderId, problem: `the write model differs from the log in ${fields.join(', ')}` }] : [];
}

async function itemsPerOrder(db: Db): Promise<Map<string, ItemRow[]>> {
  const rows = await db.selectFrom('order_items').selectAll().orderBy('order_id').orderBy('sku').execute();
  const items = new Map<string, ItemRow[]>();
  for (const { order_id, ...item } of rows) items.set(order_id, [...(items.get(order_id) ?? []), item]);
  return items;
}

/**
 * Compares the write model with the fold of the outbox log: every order in both, equal, and
 * every order's history contiguous and replayable. The read models are only as right as this.
 */
export async function verifyWriteModel(db: Db, fold: LogFold): Promise<VerifyReport> {
  const rows = await db.selectFrom('orders').select(['id', 'version', 'status', 'customer_id', 'total_cents', 'currency', 'state']).execute();
  const stored = new Map(rows.map((row) => [row.id, row]));
  const items = await itemsPerOrder(db);
  const findings: VerifyFinding[] = [];
  for (const [orderId, events] of eventsPerOrder(fold)) findings.push(...historyFindings(orderId, events));
  for (const [orderId, order] of fold.orders) {
    const row = stored.get(orderId);
    if (!row) findings.push({ orderId, problem: 'missing from the write model (orders)' });
    else findings.push(...rowFindings(orderId, order, row, items.get(orderId) ?? []));
  }
  for (const orderId of stored.keys()) {
    if (!fold.orders.has(orderId)) findings.push({ orderId, problem: 'in the write model but not in the log' });
  }
  return { checked: new Set([...fold.orders.keys(), ...stored.keys()]).size, findings };
}
