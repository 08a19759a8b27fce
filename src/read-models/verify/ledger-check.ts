import type { Db } from '../../db/database.js';
import { readModelFreshness, type Freshness } from '../checkpoints.js';
import type { LogFold, VerifyFinding } from '../read-model.js';

function groupVersions(pairs: Array<{ orderId: string; version: number }>): Map<string, number[]> {
  const grouped = new Map<string, number[]>();
  for (const { orderId, version } of pairs) grouped.set(orderId, [...(grouped.get(orderId) ?? []), version]);
  return grouped;
}

/**
 * What every model shares, whatever it stores: its ledger holds each event of the log exactly
 * once (the primary key sees to "once") and nothing else, and its checkpoint has reached the head.
 */
export async function ledgerAndCheckpointFindings(db: Db, readModel: string, fold: LogFold): Promise<{ findings: VerifyFinding[]; freshness: Freshness }> {
  const ledger = await db.selectFrom('processed_projection_events')
    .select(['event_id', 'aggregate_id', 'aggregate_version']).where('projection', '=', readModel).execute();
  const recorded = new Set(ledger.map((row) => row.event_id));
  const inLog = new Set(fold.events.map((e) => e.eventId));
  const unapplied = fold.events.filter((e) => !recorded.has(e.eventId)).map((e) => ({ orderId: e.aggregateId, version: e.aggregateVersion }));
  const unknown = ledger.filter((row) => !inLog.has(row.event_id)).map((row) => ({ orderId: row.aggregate_id, version: row.aggregate_version }));
  const findings: VerifyFinding[] = [
    ...[...groupVersions(unapplied)].map(([orderId, versions]) => ({ orderId, problem: `events not applied (ledger lacks v${versions.join(', v')})` })),
    ...[...groupVersions(unknown)].map(([orderId, versions]) => ({ orderId, problem: `ledger records events the log lacks (v${versions.join(', v')})` })),
  ];
  const freshness = await readModelFreshness(db, readModel);
  if (freshness.lagEvents !== 0) findings.push({ problem: `checkpoint at ${freshness.position} is ${freshness.lagEvents} event(s) behind the head` });
  return { findings, freshness };
}
