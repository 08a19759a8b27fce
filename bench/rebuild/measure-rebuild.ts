import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/database.js';
import { startRebuild, type RebuildSettings } from '../../src/read-models/rebuild/start.js';
import type { RebuildProgress } from '../../workflows/rebuild-read-model.js';

export interface RebuildRun {
  readModel: string;
  seconds: number;
  applied: number;
  runs: number;
  eventsPerSecond: number;
}

/** Starts the model's rebuild workflow, as the API and the CLI do, and times it until swapped in. */
export async function measureRebuild(temporal: Client, db: Db, readModel: string, settings: RebuildSettings): Promise<RebuildRun> {
  const started = performance.now();
  const { workflowId, started: fresh } = await startRebuild(temporal, db, readModel, settings);
  if (!fresh) throw new Error(`a rebuild of ${readModel} was already running (${workflowId})`);
  const result: RebuildProgress = await temporal.workflow.getHandle(workflowId).result();
  const seconds = (performance.now() - started) / 1000;
  return { readModel, seconds, applied: result.applied, runs: result.runs, eventsPerSecond: result.applied / seconds };
}
