import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';

/**
 * A batch workflow recorded before read models had a registry: its input has no
 * `readModels` and its history schedules projectOrderSummary and projectSearchIndex.
 */
const recorded = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(new URL('../workflows/histories/batch-before-registry.json', import.meta.url), 'utf8')));

describe('batch workflows started before the registry', () => {
  it('replay on the current workflow code without a nondeterminism error', async () => {
    const replay = Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundle') } }, recorded, 'outbox-batch-before-registry');

    await expect(replay).resolves.toBeUndefined();
  });
});
