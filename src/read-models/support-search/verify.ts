import { isDeepStrictEqual } from 'node:util';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { latestPerAggregate } from '../../outbox/load.js';
import type { SearchClient } from '../../search/client.js';
import type { LogFold, ReadModelDeps, VerifyFinding, VerifyReport } from '../read-model.js';
import { toSearchDocument, type OrderSearchDocument } from './document.js';
import { notesUpTo, type NoteEvent } from './notes.js';
import { supportSearchIndexNames } from './storage.js';

interface StoredDocument {
  version: number;
  source: OrderSearchDocument;
}

const PAGE = 1000;

/** Every document behind the alias with its external version, after a refresh so none is missed. */
async function readAllDocuments(client: SearchClient, alias: string): Promise<Map<string, StoredDocument>> {
  await client.indices.refresh({ index: alias });
  const documents = new Map<string, StoredDocument>();
  let after: unknown[] | undefined;
  for (;;) {
    const body = { query: { match_all: {} }, sort: [{ orderId: 'asc' }], size: PAGE, version: true, ...(after && { search_after: after }) };
    const response = await client.search({ index: alias, body: body as never });
    const hits = response.body.hits.hits as unknown as Array<{ _id: string; _version: number; _source: OrderSearchDocument; sort: unknown[] }>;
    for (const hit of hits) documents.set(hit._id, { version: hit._version, source: hit._source });
    if (hits.length < PAGE) return documents;
    after = hits[hits.length - 1]!.sort;
  }
}

function noteEventsOf(events: readonly StoredOrderEvent[]): NoteEvent[] {
  return events
    .filter((e) => e.type === 'NoteAdded')
    .map((e) => ({ orderId: e.aggregateId, version: e.aggregateVersion, text: (e.payload.event as { text: string }).text }));
}

/** Field names only, never values: the findings are printed and the values are personal data. */
function compare(expected: OrderSearchDocument, stored: StoredDocument): string[] {
  const problems: string[] = [];
  if (stored.version !== expected.sourceVersion) problems.push(`document version ${stored.version}, the log is at ${expected.sourceVersion}`);
  for (const field of Object.keys(expected) as Array<keyof OrderSearchDocument>) {
    if (field === 'projectedAt') continue;
    if (!isDeepStrictEqual(stored.source[field], expected[field])) problems.push(`field ${field} differs from the log`);
  }
  return problems;
}

/**
 * Support search against the fold: every order has exactly one document, at the order's
 * newest version, with every field (notes included) as the log says; no other documents.
 */
export async function verifySupportSearch(deps: ReadModelDeps, fold: LogFold): Promise<VerifyReport> {
  const stored = await readAllDocuments(deps.search, supportSearchIndexNames(deps.searchIndexPrefix).alias);
  const notes = noteEventsOf(fold.events);
  const findings: VerifyFinding[] = [];
  const newest = latestPerAggregate(fold.events);
  for (const event of newest) {
    const orderId = event.aggregateId;
    const document = stored.get(orderId);
    if (!document) {
      findings.push({ orderId, problem: 'missing from the search index' });
      continue;
    }
    const expected = toSearchDocument(event, notesUpTo(notes, orderId, event.aggregateVersion), new Date(0));
    findings.push(...compare(expected, document).map((problem) => ({ orderId, problem })));
  }
  const known = new Set(newest.map((e) => e.aggregateId));
  for (const orderId of stored.keys()) {
    if (!known.has(orderId)) findings.push({ orderId, problem: 'in the search index but not in the log' });
  }
  return { checked: newest.length, findings };
}
