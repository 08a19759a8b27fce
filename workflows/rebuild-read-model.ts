import { continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createRebuildActivities } from '../activities/rebuild-activities.js';
import { permanentFailureTypes } from '../src/read-models/failures/failure-types.js';

export interface RebuildReadModelInput {
  readModel: string;
  /** Log position replayed up to; absent on the first run, which prepares the shadow. */
  fromLogPosition?: number;
  /** Events per replay activity. */
  chunkSize?: number;
  /** Replay activities per run before continuing as new, keeping each history short. */
  chunksPerRun?: number;
  /** Carried across runs for the progress query. */
  applied?: number;
  runs?: number;
}

export type RebuildPhase = 'preparing' | 'replaying' | 'swapping' | 'done';

export interface RebuildProgress {
  readModel: string;
  phase: RebuildPhase;
  /** Log position the shadow has reached. */
  position: number;
  /** Head of the log at the last replayed chunk. */
  head: number;
  /** Events replayed so far, over every run. */
  applied: number;
  /** Workflow runs so far (1 + continue-as-new count). */
  runs: number;
}

export const progressQuery = defineQuery<RebuildProgress>('progress');

type RebuildActivities = ReturnType<typeof createRebuildActivities>;

const retry = { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: permanentFailureTypes };
const { prepareShadow, replayChunk } = proxyActivities<RebuildActivities>({ startToCloseTimeout: '2 minutes', retry });
// The swap waits for the model's live batches to finish before it replays the rest.
const { swapIn } = proxyActivities<RebuildActivities>({ startToCloseTimeout: '10 minutes', retry });

/**
 * Rebuilds one PostgreSQL read model from the outbox log: replays it into a shadow schema
 * chunk by chunk (continuing as new every `chunksPerRun` chunks), then, once the shadow is
 * at the head, swaps it in atomically. Live batches keep projecting into the live tables
 * until the swap, and after it into the new ones.
 */
export async function rebuildReadModel(input: RebuildReadModelInput): Promise<RebuildProgress> {
  const chunkSize = input.chunkSize ?? 1000;
  const chunksPerRun = input.chunksPerRun ?? 200;
  const { readModel } = input;
  const progress: RebuildProgress = {
    readModel, phase: input.fromLogPosition === undefined ? 'preparing' : 'replaying',
    position: input.fromLogPosition ?? 0, head: 0, applied: input.applied ?? 0, runs: input.runs ?? 1,
  };
  setHandler(progressQuery, () => progress);
  if (input.fromLogPosition === undefined) await prepareShadow({ readModel });
  progress.phase = 'replaying';
  for (let chunk = 0; chunk < chunksPerRun; chunk++) {
    const replayed = await replayChunk({ readModel, from: progress.position, limit: chunkSize });
    Object.assign(progress, { position: replayed.next, head: replayed.head, applied: progress.applied + replayed.applied });
    if (closeToHead(replayed, chunkSize)) return swap(progress, chunkSize);
  }
  return continueAsNew<typeof rebuildReadModel>({ ...input, fromLogPosition: progress.position, applied: progress.applied, runs: progress.runs + 1 });
}

/**
 * Under live load the head keeps moving, so the replay may never meet it exactly. Within a
 * few chunks of it, the swap replays the rest while live batches of this model wait.
 */
const SWAP_WITHIN_CHUNKS = 4;

function closeToHead(replayed: { next: number; head: number }, chunkSize: number): boolean {
  return replayed.head - replayed.next <= chunkSize * SWAP_WITHIN_CHUNKS;
}

async function swap(progress: RebuildProgress, chunkSize: number): Promise<RebuildProgress> {
  progress.phase = 'swapping';
  const rest = await swapIn({ readModel: progress.readModel, from: progress.position, limit: chunkSize });
  Object.assign(progress, { phase: 'done', position: rest.next, head: rest.head, applied: progress.applied + rest.applied });
  return progress;
}
