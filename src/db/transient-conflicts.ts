import { setTimeout as delay } from 'node:timers/promises';

/** deadlock_detected and serialization_failure: the transaction lost a race and did nothing. */
const TRANSIENT_CONFLICTS = new Set(['40P01', '40001']);

export function isTransientConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && TRANSIENT_CONFLICTS.has(code);
}

export interface RetryPolicy {
  /** Runs in all, the first included. */
  attempts: number;
  /** Upper bound of the random pause before a re-run; doubles with each one. */
  backoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ attempts: 4, backoffMs: 20 });

/**
 * Runs `transaction` again when PostgreSQL aborted it for a deadlock or a serialization
 * failure: it rolled back whole, so a re-run is safe. `transaction` must be the whole
 * transaction, never a part of one. After the last attempt the conflict is thrown.
 */
export async function retryTransientConflicts<T>(transaction: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isTransientConflict(error) || attempt >= policy.attempts) throw error;
      // Random, so that the two sides of a deadlock do not meet again at the same moment.
      await delay(Math.random() * policy.backoffMs * 2 ** (attempt - 1));
    }
  }
}
