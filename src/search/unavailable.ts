import { errors } from '@opensearch-project/opensearch';

/**
 * OpenSearch answers that mean "not now" rather than "this request is wrong": too many
 * requests, no master or shards, or an index an operator closed or deleted (a rebuild or a
 * restore brings it back).
 */
const UNAVAILABLE_STATUSES = new Set([429, 502, 503, 504]);
const UNAVAILABLE_TYPES = new Set(['index_closed_exception', 'index_not_found_exception', 'cluster_block_exception', 'no_shard_available_action_exception']);

/** An OpenSearch answer's error type (`index_closed_exception`), when the error is one. */
export function searchErrorType(error: unknown): string | undefined {
  const meta = (error as { meta?: { body?: { error?: { type?: unknown } } } } | null)?.meta;
  const type = meta?.body?.error?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Any error raised by the OpenSearch client, whatever its cause. */
export function isSearchClientError(error: unknown): error is InstanceType<typeof errors.OpenSearchClientError> {
  return error instanceof errors.OpenSearchClientError;
}

/** True when OpenSearch cannot be reached or cannot serve right now; the client should retry later. */
export function isSearchUnavailable(error: unknown): boolean {
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError || error instanceof errors.TimeoutError) return true;
  if (!(error instanceof errors.ResponseError)) return false;
  const type = searchErrorType(error);
  return UNAVAILABLE_STATUSES.has(error.statusCode ?? 0) || (type !== undefined && UNAVAILABLE_TYPES.has(type));
}
