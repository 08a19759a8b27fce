import { proxyActivities } from '@temporalio/workflow';
import type { createArchiveActivities } from '../activities/archive-activities.js';

export interface ArchiveOutboxInput {
  /** Rows per move statement: one short transaction each. */
  chunkSize?: number;
  /** Chunks per run at most; what is left moves at the next scheduled run. */
  maxChunks?: number;
}

export interface ArchiveOutboxResult {
  moved: number;
  chunks: number;
}

type ArchiveActivities = ReturnType<typeof createArchiveActivities>;

const { archiveOutboxChunk } = proxyActivities<ArchiveActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Run by the `archive-outbox-<outbox id>` schedule: moves dispatched rows that every read
 * model has passed from the outbox into the event log, chunk by chunk, until a chunk comes
 * back short or `maxChunks` have run.
 */
export async function archiveOutbox(input: ArchiveOutboxInput = {}): Promise<ArchiveOutboxResult> {
  const chunkSize = input.chunkSize ?? 5000;
  const maxChunks = input.maxChunks ?? 100;
  let moved = 0;
  let chunks = 0;
  while (chunks < maxChunks) {
    const chunk = await archiveOutboxChunk({ chunkSize });
    chunks++;
    moved += chunk.moved;
    if (chunk.moved < chunkSize) break;
  }
  return { moved, chunks };
}
