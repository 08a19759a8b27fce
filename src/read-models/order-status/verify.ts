import type { Selectable } from 'kysely';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold, ReadModelDeps, VerifyFinding, VerifyReport } from '../read-model.js';
import { differingFields, newestEventPerOrder } from '../verify/compare.js';
import { toSummaryRow } from './projection.js';
import type { OrderSummaryTable } from './storage.js';

// When the row was written is the projection's own fact, not the log's.
const NOT_FROM_THE_LOG = ['projected_at'];

function rowFindings(newest: StoredOrderEvent, row: Selectable<OrderSummaryTable>): VerifyFinding[] {
  const orderId = newest.aggregateId;
  if (row.source_version !== newest.aggregateVersion) {
    return [{ orderId, problem: `wrong version: holds v${row.source_version}, the log has v${newest.aggregateVersion}` }];
  }
  // Every column the table has is compared, so a column added later cannot escape the check.
  const fields = differingFields(toSummaryRow(newest, row.projected_at), row, NOT_FROM_THE_LOG);
  return fields.length > 0 ? [{ orderId, problem: `fields differ from the log: ${fields.join(', ')}` }] : [];
}

/** `order_summary` holds exactly one row per order in the log, each equal to its newest event's state. */
export async function verifyOrderStatus(deps: ReadModelDeps, fold: LogFold): Promise<VerifyReport> {
  const rows = await deps.db.selectFrom('order_summary').selectAll().execute();
  const stored = new Map(rows.map((row) => [row.order_id, row]));
  const findings: VerifyFinding[] = [];
  for (const [orderId, newest] of newestEventPerOrder(fold)) {
    const row = stored.get(orderId);
    if (row) findings.push(...rowFindings(newest, row));
    else findings.push({ orderId, problem: 'missing: no row for an order in the log' });
  }
  for (const orderId of stored.keys()) {
    if (!fold.orders.has(orderId)) findings.push({ orderId, problem: 'extra: a row for an order the log does not have' });
  }
  return { checked: new Set([...fold.orders.keys(), ...stored.keys()]).size, findings };
}
