import { BatchIdentityMismatchError } from '../relay/batch-identity.js';
import { isRefusedStart } from '../relay/refused-start.js';
import { relayBatchEvents, relayDispatchFailures, relayWorkflowStarts } from './registry.js';

/** Each batch is claimed once, so its size is counted once, however often it is dispatched. */
export function recordClaimedBatch(events: number): void {
  relayBatchEvents.observe(events);
}

export function recordWorkflowStart(): void {
  relayWorkflowStarts.inc();
}

function failureReason(error: unknown): 'identity_mismatch' | 'refused' | 'error' {
  if (error instanceof BatchIdentityMismatchError) return 'identity_mismatch';
  return isRefusedStart(error) ? 'refused' : 'error';
}

export function recordDispatchFailure(error: unknown): void {
  relayDispatchFailures.inc({ reason: failureReason(error) });
}
