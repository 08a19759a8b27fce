import { isDeepStrictEqual } from 'node:util';
import type { Selectable } from 'kysely';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold, ReadModelDeps, VerifyFinding, VerifyReport } from '../read-model.js';
import { timelineEntry } from './entries.js';
import type { AgentTimelineTable } from './storage.js';

type Row = Selectable<AgentTimelineTable>;

/** Each order's events from the fold, by version. */
function eventsByOrder(fold: LogFold): Map<string, Map<number, StoredOrderEvent>> {
  const orders = new Map<string, Map<number, StoredOrderEvent>>();
  for (const event of fold.events) {
    const versions = orders.get(event.aggregateId) ?? new Map<number, StoredOrderEvent>();
    versions.set(event.aggregateVersion, event);
    orders.set(event.aggregateId, versions);
  }
  return orders;
}

/** Stored JSON drops undefined members; compare like with like. */
const asStored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function versionFindings(row: Row, events: Map<number, StoredOrderEvent>): string[] {
  const n = Math.max(...events.keys());
  const problems: string[] = [];
  if (row.contiguous_version !== n) problems.push(`shows versions 1..${row.contiguous_version}, the log has 1..${n}`);
  if (row.max_version !== n) problems.push(`holds versions up to ${row.max_version}, the log has ${n}`);
  const stored = Object.keys(row.entries).map(Number).sort((a, b) => a - b);
  const gaps = [...events.keys()].filter((v) => row.entries[String(v)] === undefined).sort((a, b) => a - b);
  const extra = stored.filter((v) => !events.has(v));
  if (gaps.length > 0) problems.push(`timeline gap: versions ${gaps.join(', ')} missing`);
  if (extra.length > 0) problems.push(`versions ${extra.join(', ')} are not in the log`);
  const last = events.get(n)!;
  if (row.contiguous_version === n && (row.last_event_id !== last.eventId || row.last_event_at?.getTime() !== last.occurredAt.getTime())) {
    problems.push(`freshness names event ${row.last_event_id}, the last event is ${last.eventId}`);
  }
  return problems;
}

function entryFindings(row: Row, events: Map<number, StoredOrderEvent>): string[] {
  const problems: string[] = [];
  for (const [version, event] of events) {
    const stored = row.entries[String(version)];
    if (!stored) continue; // reported as a gap
    if (stored.entry.type !== event.type) problems.push(`version ${version} is a ${stored.entry.type}, the log has ${event.type}`);
    else if (!isDeepStrictEqual(stored.entry, asStored(timelineEntry(event)))) problems.push(`version ${version} (${event.type}) has wrong fields`);
    if (stored.eventId !== event.eventId) problems.push(`version ${version} comes from event ${stored.eventId}, the log has ${event.eventId}`);
  }
  return problems;
}

/**
 * Every order of the log has exactly its versions 1..n, each entry equal to what its event
 * says, nothing held and no extra orders.
 */
export async function verifyAgentTimeline(deps: ReadModelDeps, fold: LogFold): Promise<VerifyReport> {
  const rows = new Map((await deps.db.selectFrom('agent_timeline').selectAll().execute()).map((r) => [r.order_id, r]));
  const findings: VerifyFinding[] = [];
  for (const [orderId, events] of eventsByOrder(fold)) {
    const row = rows.get(orderId);
    const problems = row ? [...versionFindings(row, events), ...entryFindings(row, events)] : ['missing from the timeline'];
    findings.push(...problems.map((problem) => ({ orderId, problem })));
  }
  for (const orderId of rows.keys()) {
    if (!fold.orders.has(orderId)) findings.push({ orderId, problem: 'in the timeline but not in the log' });
  }
  return { checked: rows.size, findings };
}
