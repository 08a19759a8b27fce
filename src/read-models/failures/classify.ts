/**
 * Whether a store error is permanent (retrying the same event cannot help) or transient
 * (retry with backoff), and a reason safe to log and to put in a workflow history: error
 * types, SQLSTATEs and constraint names only, never values, which may hold personal data.
 */
export interface Classification {
  permanent: boolean;
  /** `event`: this event is refused, others may pass. `store`: nothing can be written. */
  scope: 'event' | 'store';
  reason: string;
}

/** OpenSearch item errors that no retry cures: the document or the index is wrong. */
const permanentSearchErrors = new Set(['mapper_parsing_exception', 'strict_dynamic_mapping_exception', 'illegal_argument_exception', 'document_parsing_exception']);
const missingIndexErrors = new Set(['index_not_found_exception', 'alias_missing_exception']);

/** Thrown by an OpenSearch writer when `_bulk` items fail; carries the item error types only. */
export class SearchBulkError extends Error {
  constructor(readonly index: string, readonly itemErrors: readonly string[], readonly failed: number, readonly total: number) {
    super(`search bulk on ${index}: ${failed} of ${total} items failed (${itemErrors.join(', ')})`);
    this.name = 'SearchBulkError';
  }
}

interface PgLikeError {
  severity?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
}

function classifyPostgres(error: PgLikeError): Classification | undefined {
  // Only a server's answer has a severity; a socket error's `code` (ECONNRESET) is not a SQLSTATE.
  if (typeof error.severity !== 'string' || typeof error.code !== 'string') return undefined;
  const code = error.code;
  // Class 22 (data exception) and 23 (integrity constraint violation): the row itself is refused.
  const permanent = code.startsWith('22') || code.startsWith('23');
  const parts = [`sqlstate ${code}`];
  if (typeof error.constraint === 'string') parts.push(`constraint ${error.constraint}`);
  if (typeof error.table === 'string') parts.push(`table ${error.table}`);
  return { permanent, scope: 'event', reason: parts.join(', ') };
}

function classifySearch(error: SearchBulkError): Classification {
  const missing = error.itemErrors.find((t) => missingIndexErrors.has(t));
  if (missing) return { permanent: true, scope: 'store', reason: `${missing} on ${error.index}` };
  const refused = error.itemErrors.find((t) => permanentSearchErrors.has(t));
  if (refused) return { permanent: true, scope: 'event', reason: `${refused} on ${error.index}` };
  // es_rejected_execution_exception (429), unavailable shards, timeouts: the store will recover.
  return { permanent: false, scope: 'event', reason: error.itemErrors.join(', ') };
}

export function classifyStoreError(error: unknown): Classification {
  if (error instanceof SearchBulkError) return classifySearch(error);
  const pg = typeof error === 'object' && error !== null ? classifyPostgres(error as PgLikeError) : undefined;
  if (pg) return pg;
  // Connection refused or reset, timeouts, 5xx answers: transient until proven otherwise.
  const name = error instanceof Error ? error.name : typeof error;
  return { permanent: false, scope: 'event', reason: name };
}
