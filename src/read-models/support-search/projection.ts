import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { latestPerAggregate } from '../../outbox/load.js';
import type { SearchClient } from '../../search/client.js';
import { SearchBulkError } from '../failures/classify.js';
import type { ApplyOutcome } from '../read-model.js';
import { toSearchDocument } from './document.js';

export const SUPPORT_SEARCH = 'support-search';

interface BulkItemResult {
  status: number;
  error?: { type: string; reason?: string };
}

/**
 * Indexes the newest state of each order in the events with external versioning: the
 * aggregate version is the document version, so a replayed or late event is rejected by
 * OpenSearch itself (409) and can never regress a document. `_bulk` answers 200 even when
 * items fail, so every item is checked; anything but success or a version conflict throws
 * a `SearchBulkError` naming the item error types, which the activity classifies (a mapping
 * conflict fails for good, a 429 retries). Writes go through the alias with `require_alias`:
 * a deleted index is never auto-created with dynamic mappings, the write fails instead.
 */
export async function applyToSupportSearch(
  client: SearchClient,
  alias: string,
  events: readonly StoredOrderEvent[],
): Promise<ApplyOutcome> {
  const latest = latestPerAggregate(events);
  if (latest.length === 0) return { applied: 0, skipped: events.length };
  const projectedAt = new Date();
  const body = latest.flatMap((event) => [
    { index: { _index: alias, _id: event.aggregateId, version: event.aggregateVersion, version_type: 'external' } },
    toSearchDocument(event, projectedAt),
  ]);
  const response = await client.bulk({ body: body as never, require_alias: true });
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
