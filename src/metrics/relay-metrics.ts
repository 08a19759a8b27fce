import { BatchIdentityMismatchError } from '../relay/batch-identity.js';
import { relayBatchEvents, relayDispatchFailures, relayWorkflowStarts } from './registry.js';

/** Each batch is claimed once, so its size is counted once, however often it is dispatched. */
export function recordClaimedBatch(events: number): void {
  relayBatchEvents.observe(events);
}

export function recordWorkflowStart(): void {
  relayWorkflowStarts.inc();
}

export function recordDispatchFailure(error: unknown): void {
  relayDispatchFailures.inc({ reason: error instanceof BatchIdentityMismatchError ? 'identity_mismatch' : 'error' });
}
