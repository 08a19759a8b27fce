import { proxyActivities } from '@temporalio/workflow';
import type { createReadModelActivities } from '../activities/read-model-activities.js';
import type { EventRef } from '../src/outbox/envelope.js';
import { permanentFailureTypes } from '../src/read-models/failures/failure-types.js';
import { applyReadModels } from './apply-read-models.js';

export interface ProjectOutboxBatchInput {
  batchId: number;
  events: EventRef[];
  /** The registry's read models when the batch was dispatched; absent in older inputs. */
  readModels?: string[];
}

export interface ReadModelOutcome {
  applied: number;
  skipped: number;
}

export interface ProjectOutboxBatchResult {
  batchId: number;
  readModels: Record<string, ReadModelOutcome>;
}

type ReadModelActivities = ReturnType<typeof createReadModelActivities>;

// Transient faults (a store restarting, a 429, a timeout) retry for as long as it takes,
// 0.5 s doubling to at most 30 s between attempts, so a store that comes back is caught up
// within one interval; each attempt is visible in this workflow's history. Permanent faults
// (the failure types) fail the batch at once, for an operator to fix and reset.
const { applyReadModel, projectOrderSummary, projectSearchIndex } = proxyActivities<ReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: permanentFailureTypes,
  },
});

/**
 * Applies one outbox batch to every read model named in its input. Each model has its own
 * activity, so a store that is down delays only its own read models; the others move on.
 * The names travel in the input, so adding a read model changes data, not this code.
 */
export async function projectOutboxBatch(input: ProjectOutboxBatchInput): Promise<ProjectOutboxBatchResult> {
  const eventIds = input.events.map((e) => e.eventId);
  if (!input.readModels) return legacyBatch(input.batchId, eventIds);
  const names = input.readModels;
  const outcomes = await applyReadModels(names, (readModel) => applyReadModel({ readModel, eventIds }));
  return { batchId: input.batchId, readModels: Object.fromEntries(names.map((name, i) => [name, outcomes[i]!])) };
}

/**
 * Inputs without `readModels` come from batches dispatched before the registry. Their
 * histories schedule these two activities, so a replay must schedule the same ones.
 */
async function legacyBatch(batchId: number, eventIds: string[]): Promise<ProjectOutboxBatchResult> {
  const [orderStatus, supportSearch] = await Promise.all([projectOrderSummary({ eventIds }), projectSearchIndex({ eventIds })]);
  return { batchId, readModels: { 'order-status': orderStatus, 'support-search': supportSearch } };
}
