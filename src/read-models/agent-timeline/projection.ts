import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { recordFirstDeliveries } from '../ledger.js';
import type { ApplyOutcome } from '../read-model.js';
import { mergeEvents, type TimelineDocument } from './document.js';
import type { AgentTimelineTable } from './storage.js';

export const AGENT_TIMELINE = 'agent-timeline';

/** By order, then version: every concurrent batch takes ledger keys and row locks in one order. */
function inLockOrder(events: readonly StoredOrderEvent[]): StoredOrderEvent[] {
  return [...events].sort((a, b) =>
    a.aggregateId === b.aggregateId ? a.aggregateVersion - b.aggregateVersion : a.aggregateId < b.aggregateId ? -1 : 1);
}

function byOrder(events: readonly StoredOrderEvent[]): Map<string, StoredOrderEvent[]> {
  const groups = new Map<string, StoredOrderEvent[]>();
  for (const event of events) {
    const group = groups.get(event.aggregateId);
    if (group) group.push(event);
    else groups.set(event.aggregateId, [event]);
  }
  return groups;
}

function toDocument(row: Selectable<AgentTimelineTable>): TimelineDocument {
  return {
    entries: row.entries,
    contiguousVersion: row.contiguous_version,
    maxVersion: row.max_version,
    lastEventId: row.last_event_id,
    lastEventAt: row.last_event_at?.toISOString() ?? null,
    projectedAt: row.projected_at?.toISOString() ?? null,
  };
}

/** Creates missing rows, then locks every row of the batch, sorted by order id. */
async function lockDocuments(trx: Transaction<Database>, orderIds: readonly string[]): Promise<Map<string, TimelineDocument>> {
  await trx.insertInto('agent_timeline').values(orderIds.map((order_id) => ({ order_id })))
    .onConflict((oc) => oc.column('order_id').doNothing()).execute();
  const rows = await trx.selectFrom('agent_timeline').selectAll().where('order_id', 'in', [...orderIds])
    .orderBy('order_id').forUpdate().execute();
  return new Map(rows.map((row) => [row.order_id, toDocument(row)]));
}

/** Writes every merged document in one statement. */
async function saveDocuments(trx: Transaction<Database>, documents: Map<string, TimelineDocument>): Promise<void> {
  const rows = [...documents].map(([orderId, doc]) => ({ orderId, ...doc }));
  await sql`update agent_timeline t set entries = d."entries", contiguous_version = d."contiguousVersion",
      max_version = d."maxVersion", last_event_id = d."lastEventId", last_event_at = d."lastEventAt",
      projected_at = d."projectedAt"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d("orderId" uuid, "entries" jsonb,
      "contiguousVersion" integer, "maxVersion" integer, "lastEventId" uuid, "lastEventAt" timestamptz, "projectedAt" timestamptz)
    where t.order_id = d."orderId"`.execute(trx);
}

/**
 * Applies events to each order's timeline in one transaction with the ledger. An event
 * the ledger has seen is skipped; a new one is merged at its version, so duplicates,
 * shuffled batches and overlapping batches all give the document that applying each event
 * once in order gives.
 */
export async function applyToAgentTimeline(db: Db, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  return db.transaction().execute(async (trx) => {
    const fresh = await recordFirstDeliveries(trx, AGENT_TIMELINE, inLockOrder(events));
    const groups = byOrder(fresh);
    if (groups.size > 0) {
      const documents = await lockDocuments(trx, [...groups.keys()]);
      const projectedAt = new Date();
      for (const [orderId, orderEvents] of groups) {
        documents.set(orderId, mergeEvents(documents.get(orderId)!, orderEvents, projectedAt));
      }
      await saveDocuments(trx, documents);
    }
    return { applied: fresh.length, skipped: events.length - fresh.length };
  });
}
