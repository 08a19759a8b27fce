import { ServiceError } from '@temporalio/client';

/** gRPC's INVALID_ARGUMENT: the request itself is refused, and sending it again cannot help. */
const INVALID_ARGUMENT = 3;

/**
 * Temporal refused to start the batch's workflow for good: the request breaks one of the
 * namespace's limits (its `OrderIds` value past the search attribute size limit, when
 * `RELAY_MAX_ORDERS_PER_BATCH` is set above what the cluster allows). Retrying it would stall
 * the relay on this one batch forever.
 */
export function isRefusedStart(error: unknown): error is ServiceError {
  return error instanceof ServiceError && (error.cause as { code?: unknown } | undefined)?.code === INVALID_ARGUMENT;
}
