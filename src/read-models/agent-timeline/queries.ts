import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { visibleEntries } from './document.js';
import type { TimelineEntry } from './entries.js';
import type { AgentTimelineTable } from './storage.js';
import { orderFreshness } from '../order-freshness.js';

/** Which write the answer reflects: the last version shown, and how long it took to get here. */
export interface TimelineOrderFreshness {
  sourceVersion: number;
  lastEventId: string;
  lastEventAt: string;
  projectedAt: string;
  lagMs: number;
}

export interface Timeline {
  orderId: string;
  entries: TimelineEntry[];
  freshness: TimelineOrderFreshness;
}

type ShownRow = Pick<Selectable<AgentTimelineTable>, 'order_id' | 'entries' | 'contiguous_version'> & {
  last_event_id: string; last_event_at: Date; projected_at: Date;
};

function toTimeline(row: ShownRow): Timeline {
  return {
    orderId: row.order_id,
    entries: visibleEntries({ entries: row.entries, contiguousVersion: row.contiguous_version }),
    freshness: orderFreshness(row.contiguous_version, row),
  };
}

/**
 * One key lookup. An order whose first event has not arrived yet has nothing to show (its
 * later events wait behind the gap), so it reads as unknown.
 */
export async function findTimeline(db: Db, orderId: string): Promise<Timeline | undefined> {
  const row = await db.selectFrom('agent_timeline')
    .select(['order_id', 'entries', 'contiguous_version', 'last_event_id', 'last_event_at', 'projected_at'])
    .where('order_id', '=', orderId).where('contiguous_version', '>', 0)
    .executeTakeFirst();
  return row ? toTimeline(row as ShownRow) : undefined;
}

/** An order whose timeline stopped at a gap: later events arrived and wait for the missing one. */
export interface HeldOrder {
  orderId: string;
  /** The last version readers see. */
  shownThrough: number;
  /** The first version the timeline still lacks. */
  missingVersion: number;
  /** The highest version that arrived and is held. */
  heldThrough: number;
}

/** Every held order, for the read model's status in operations. */
export async function heldOrders(db: Db): Promise<HeldOrder[]> {
  const rows = await db.selectFrom('agent_timeline')
    .select(['order_id', 'contiguous_version', 'max_version'])
    .where((eb) => eb('max_version', '>', eb.ref('contiguous_version')))
    .orderBy('order_id').execute();
  return rows.map((r) => ({
    orderId: r.order_id, shownThrough: r.contiguous_version, missingVersion: r.contiguous_version + 1, heldThrough: r.max_version,
  }));
}
