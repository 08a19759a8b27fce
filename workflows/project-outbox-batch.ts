import { proxyActivities } from '@temporalio/workflow';
import type { createProjectionActivities } from '../activities/projection-activities.js';
import type { EventRef } from '../src/outbox/envelope.js';

export interface ProjectOutboxBatchInput {
  batchId: number;
  events: EventRef[];
}

export interface ProjectionOutcome {
  applied: number;
  skipped: number;
}

export interface ProjectOutboxBatchResult {
  batchId: number;
  orderSummary: ProjectionOutcome;
  searchIndex: ProjectionOutcome;
}

type ProjectionActivities = ReturnType<typeof createProjectionActivities>;

// Transient faults (a store restarting, a timeout) retry with backoff for as long as it
// takes; each attempt is visible in this workflow's history. Poison input fails fast.
const { projectOrderSummary, projectSearchIndex } = proxyActivities<ProjectionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['PoisonEvent'],
  },
});

/**
 * Applies one outbox batch to every read model. Each store has its own activity, so a
 * store that is down delays only its own read model; the others move on.
 */
export async function projectOutboxBatch(input: ProjectOutboxBatchInput): Promise<ProjectOutboxBatchResult> {
  const eventIds = input.events.map((e) => e.eventId);
  const [orderSummary, searchIndex] = await Promise.all([
    projectOrderSummary({ eventIds }),
    projectSearchIndex({ eventIds }),
  ]);
  return { batchId: input.batchId, orderSummary, searchIndex };
}
