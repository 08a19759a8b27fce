import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { latestPerAggregate } from '../../outbox/load.js';
import { SearchBulkError } from '../failures/classify.js';
import type { ApplyOutcome, ReadModelDeps } from '../read-model.js';
import { toSearchDocument } from './document.js';
import { loadNotes, notesFor } from './notes.js';
import { supportSearchIndexNames } from './storage.js';

export const SUPPORT_SEARCH = 'support-search';

interface BulkItemResult {
  status: number;
  error?: { type: string; reason?: string };
}

/** The `_bulk` body for the newest events of some orders (benchmarks send the very same). */
export async function bulkBody(db: Db, alias: string, latest: readonly StoredOrderEvent[]): Promise<unknown[]> {
  const notes = await loadNotes(db, latest);
  const projectedAt = new Date();
  return latest.flatMap((event) => [
    { index: { _index: alias, _id: event.aggregateId, version: event.aggregateVersion, version_type: 'external' } },
    toSearchDocument(event, notesFor(event, notes), projectedAt),
  ]);
}

/**
 * Indexes the newest state of each order in the events with external versioning: the
 * aggregate version is the document version, so a replayed or late event is rejected by
 * OpenSearch itself (409) and can never regress a document. `_bulk` answers 200 even when
 * items fail, so every item is checked; anything but success or a version conflict throws
 * a `SearchBulkError` naming the item error types, which the activity classifies (a mapping
 * conflict fails for good, a 429 retries). Writes go through the alias with `require_alias`:
 * a deleted index is never auto-created with dynamic mappings, the write fails instead. A
 * document is replaced whole: the order's state plus every note up to its version, read from
 * the log.
 */
export async function applyToSupportSearch(deps: ReadModelDeps, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  const latest = latestPerAggregate(events).sort((a, b) => a.aggregateId.localeCompare(b.aggregateId));
  if (latest.length === 0) return { applied: 0, skipped: events.length };
  const { alias } = supportSearchIndexNames(deps.searchIndexPrefix);
  const body = await bulkBody(deps.db, alias, latest);
  const response = await deps.search.bulk({ body: body as never, require_alias: true });
  const items = (response.body.items as Array<Record<string, BulkItemResult>>).map((item) => Object.values(item)[0]!);
  const failures = items.filter((item) => item.status >= 300 && item.status !== 409);
  if (failures.length > 0) {
    // Only the error type: OpenSearch's reasons may quote field values, which hold personal data.
    const types = [...new Set(failures.map((f) => f.error?.type ?? `status ${f.status}`))];
    throw new SearchBulkError(alias, types, failures.length, items.length);
  }
  const applied = items.filter((item) => item.status < 300).length;
  return { applied, skipped: events.length - applied };
}
