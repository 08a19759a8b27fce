import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { timelineEntry, type TimelineEntry } from './entries.js';

/** An entry as stored, with the envelope fields the freshness of a read needs. */
export interface StoredEntry {
  eventId: string;
  occurredAt: string;
  entry: TimelineEntry;
}

/** Entries keyed by version, so merging the same event twice leaves one entry. */
export type StoredEntries = Record<string, StoredEntry>;

/** One order's timeline document, as the projection reads and writes it. */
export interface TimelineDocument {
  entries: StoredEntries;
  /** Highest v such that versions 1..v are all present: what readers see. */
  contiguousVersion: number;
  /** Highest version present; above `contiguousVersion`, later entries wait for a gap. */
  maxVersion: number;
  lastEventId: string | null;
  lastEventAt: string | null;
  projectedAt: string | null;
}

export const emptyDocument = (): TimelineDocument => ({
  entries: {}, contiguousVersion: 0, maxVersion: 0, lastEventId: null, lastEventAt: null, projectedAt: null,
});

function contiguousFrom(entries: StoredEntries, from: number): number {
  let version = from;
  while (entries[String(version + 1)] !== undefined) version += 1;
  return version;
}

/**
 * Merges events of one order into its document. Arrival order does not matter: each entry
 * lands at its own version, and the visible end moves only across versions that are all
 * present, so an entry past a gap is held until the gap is filled.
 */
export function mergeEvents(doc: TimelineDocument, events: readonly StoredOrderEvent[], projectedAt: Date): TimelineDocument {
  const entries: StoredEntries = { ...doc.entries };
  for (const event of events) {
    entries[String(event.aggregateVersion)] = {
      eventId: event.eventId, occurredAt: event.occurredAt.toISOString(), entry: timelineEntry(event),
    };
  }
  const maxVersion = Math.max(doc.maxVersion, ...events.map((e) => e.aggregateVersion));
  const contiguousVersion = contiguousFrom(entries, doc.contiguousVersion);
  if (contiguousVersion === doc.contiguousVersion) return { ...doc, entries, maxVersion };
  const last = entries[String(contiguousVersion)]!;
  return {
    entries, contiguousVersion, maxVersion,
    lastEventId: last.eventId, lastEventAt: last.occurredAt, projectedAt: projectedAt.toISOString(),
  };
}

/** Entries 1..contiguousVersion, in version order: never one past a gap. */
export function visibleEntries(doc: Pick<TimelineDocument, 'entries' | 'contiguousVersion'>): TimelineEntry[] {
  return Array.from({ length: doc.contiguousVersion }, (_, i) => doc.entries[String(i + 1)]!.entry);
}
