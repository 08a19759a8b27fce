import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { latestPerAggregate, storedEventColumns, toStoredEvent } from '../../src/outbox/load.js';
import { bulkBody } from '../../src/read-models/support-search/projection.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { randomName } from '../support/services.js';
import type { Window } from './visibility.js';

export interface BulkBaseline {
  /** Bulk requests (one per outbox batch, as the projection sends them), documents, events they stand for. */
  requests: number;
  documents: number;
  events: number;
  concurrency: number;
  elapsedMs: number;
  documentsPerSecond: number;
  eventsPerSecond: number;
}

/** The window's events, as the relay batched them. */
async function batchesOf(db: Kysely<Database>, window: Window): Promise<StoredOrderEvent[][]> {
  const rows = await db.selectFrom('outbox_events').select([...storedEventColumns, 'batch_id'])
    .where('occurred_at', '>=', window.from).where('occurred_at', '<', window.to)
    .where('batch_id', 'is not', null).orderBy('log_position').execute();
  const batches = new Map<number, StoredOrderEvent[]>();
  for (const row of rows) {
    const batch = batches.get(row.batch_id!) ?? [];
    batch.push(toStoredEvent(row));
    batches.set(row.batch_id!, batch);
  }
  return [...batches.values()];
}

/**
 * Concurrent requests may carry an older version of an order after a newer one: OpenSearch
 * refuses it with 409, exactly as it does for the projection, which counts that as done.
 */
function assertOnlyConflicts(items: Array<Record<string, { status: number }>>): void {
  const failed = items.map((item) => Object.values(item)[0]!).filter((r) => r.status >= 300 && r.status !== 409);
  if (failed.length > 0) throw new Error(`raw bulk baseline: ${failed.length} items failed`);
}

async function sendAll(client: SearchClient, alias: string, bodies: unknown[][], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const response = await client.bulk({ body: bodies[next++] as never });
      if (response.body.errors) assertOnlyConflicts(response.body.items as Array<Record<string, { status: number }>>);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * OpenSearch on its own: the documents the run projected, in the run's batches, written with
 * `_bulk` into a scratch index with the app's settings and mapping, `concurrency` requests at a
 * time (the relay's batches in flight). Nothing else runs meanwhile: this is the ceiling.
 */
export async function measureRawBulk(db: Kysely<Database>, opensearchUrl: string, window: Window, concurrency: number): Promise<BulkBaseline> {
  const batches = await batchesOf(db, window);
  const client = createSearchClient(opensearchUrl);
  const prefix = randomName('benchbulk');
  const { alias, index } = supportSearchIndexNames(prefix);
  try {
    await ensureSupportSearchIndex(client, prefix);
    // Built before the clock starts, by the projection's own code: only the writes are timed.
    const bodies = await Promise.all(batches.map((batch) => bulkBody(db, alias, latestPerAggregate(batch))));
    const began = performance.now();
    await sendAll(client, alias, bodies, concurrency);
    const elapsedMs = performance.now() - began;
    const documents = bodies.reduce((sum, body) => sum + body.length / 2, 0);
    const events = batches.reduce((sum, batch) => sum + batch.length, 0);
    return {
      requests: bodies.length, documents, events, concurrency, elapsedMs,
      documentsPerSecond: (documents * 1_000) / elapsedMs, eventsPerSecond: (events * 1_000) / elapsedMs,
    };
  } finally {
    await client.indices.delete({ index }).catch(() => undefined);
    await client.close();
  }
}
