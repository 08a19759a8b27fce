import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

/**
 * A batch workflow recorded before failed models were recorded in `FailedReadModels`: one of
 * its two models failed for good and the workflow failed at once, while the other was still
 * running. Its history has no marker of the `failed-read-models-attribute` patch.
 */
const recorded = temporal.api.history.v1.History.fromObject(
  JSON.parse(readFileSync(new URL('../workflows/histories/batch-history-failed-before-failed-read-models.json', import.meta.url), 'utf8')),
);

describe('batch workflows that failed before FailedReadModels', () => {
  it('replay on the current workflow code without a nondeterminism error', async () => {
    const replay = Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundle') } }, recorded, 'outbox-batch-failed-fast');

    await expect(replay).resolves.toBeUndefined();
  });
});
