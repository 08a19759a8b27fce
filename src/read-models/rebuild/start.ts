import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Db } from '../../db/database.js';
import type { RebuildProgress, RebuildReadModelInput } from '../../../workflows/rebuild-read-model.js';

export interface RebuildSettings {
  taskQueue: string;
  chunkSize: number;
  chunksPerRun: number;
}

export type RebuildStart = { workflowId: string; started: true } | { workflowId: string; started: false };

/** One rebuild per model and outbox at a time: the id names both. */
export async function rebuildWorkflowId(db: Db, readModel: string): Promise<string> {
  const { instance_id } = await db.selectFrom('outbox_instance').select('instance_id').executeTakeFirstOrThrow();
  return `rebuild-${instance_id}-${readModel}`;
}

/**
 * Starts the rebuild workflow of `readModel`. While one runs, another start is refused and
 * answers the running one's id (`started: false`); a finished one may be run again.
 */
export async function startRebuild(temporal: Client, db: Db, readModel: string, settings: RebuildSettings): Promise<RebuildStart> {
  const workflowId = await rebuildWorkflowId(db, readModel);
  const input: RebuildReadModelInput = { readModel, chunkSize: settings.chunkSize, chunksPerRun: settings.chunksPerRun };
  try {
    await temporal.workflow.start('rebuildReadModel', {
      taskQueue: settings.taskQueue, workflowId, args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

/** The running rebuild of `readModel` and its progress, or null when none runs. */
export async function rebuildInProgress(temporal: Client, db: Db, readModel: string): Promise<{ workflowId: string; progress: RebuildProgress } | null> {
  const workflowId = await rebuildWorkflowId(db, readModel);
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return null;
    return { workflowId, progress: await handle.query<RebuildProgress>('progress') };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}
