/** What a read model row records about the write it reflects. */
export interface ProjectedFrom {
  last_event_id: string;
  last_event_at: Date;
  projected_at: Date;
}

/**
 * One order's freshness, as every single-order answer gives it: which version and event it
 * reflects, and how long that event took to get here.
 */
export function orderFreshness(sourceVersion: number, row: ProjectedFrom) {
  return {
    sourceVersion,
    lastEventId: row.last_event_id,
    lastEventAt: row.last_event_at.toISOString(),
    projectedAt: row.projected_at.toISOString(),
    lagMs: row.projected_at.getTime() - row.last_event_at.getTime(),
  };
}
