import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { SearchClient } from '../../search/client.js';
import type { LogFold, ReadModelDeps, VerifyFinding, VerifyReport } from '../read-model.js';
import { differingFields, newestEventPerOrder } from '../verify/compare.js';
import { toSearchDocument } from './document.js';
import { supportSearchIndexNames } from './storage.js';

interface StoredDocument {
  id: string;
  version: number;
  source: Record<string, unknown>;
}

const PAGE = 1000;
// When the document was written is the projection's own fact, not the log's.
const NOT_FROM_THE_LOG = ['projectedAt'];

/** Every document behind the alias, paged by order id; a refresh first makes recent writes visible. */
async function allDocuments(client: SearchClient, alias: string): Promise<StoredDocument[]> {
  await client.indices.refresh({ index: alias });
  const documents: StoredDocument[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const body = { query: { match_all: {} }, sort: [{ orderId: 'asc' }], size: PAGE, version: true, ...(after ? { search_after: after } : {}) };
    const response = await client.search({ index: alias, body: body as never });
    const hits = response.body.hits.hits as Array<{ _id: string; _version: number; _source: Record<string, unknown>; sort: unknown[] }>;
    documents.push(...hits.map((hit) => ({ id: hit._id, version: hit._version, source: hit._source })));
    if (hits.length < PAGE) return documents;
    after = hits.at(-1)!.sort;
  }
}

function documentFindings(newest: StoredOrderEvent, doc: StoredDocument): VerifyFinding[] {
  const orderId = newest.aggregateId;
  if (doc.version !== newest.aggregateVersion) {
    return [{ orderId, problem: `wrong version: holds v${doc.version}, the log has v${newest.aggregateVersion}` }];
  }
  // Every field either side has is compared, so a field added later cannot escape the check.
  const fields = differingFields(toSearchDocument(newest, new Date()), doc.source, NOT_FROM_THE_LOG);
  return fields.length > 0 ? [{ orderId, problem: `fields differ from the log: ${fields.join(', ')}` }] : [];
}

/** One document per order in the log, with the log's version as its external version, equal to its newest event's state. */
export async function verifySupportSearch(deps: ReadModelDeps, fold: LogFold): Promise<VerifyReport> {
  const documents = await allDocuments(deps.search, supportSearchIndexNames(deps.searchIndexPrefix).alias);
  const stored = new Map(documents.map((doc) => [doc.id, doc]));
  const findings: VerifyFinding[] = [];
  for (const [orderId, newest] of newestEventPerOrder(fold)) {
    const doc = stored.get(orderId);
    if (doc) findings.push(...documentFindings(newest, doc));
    else findings.push({ orderId, problem: 'missing: no document for an order in the log' });
  }
  for (const id of stored.keys()) {
    if (!fold.orders.has(id)) findings.push({ orderId: id, problem: 'extra: a document for an order the log does not have' });
  }
  return { checked: new Set([...fold.orders.keys(), ...stored.keys()]).size, findings };
}
