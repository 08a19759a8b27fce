import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { decodedPayloads, personalDataKeys, readHistoryFile, recordedHistoryFiles } from './history-files.js';

/**
 * Every recorded history in `histories/` replays on the current workflow code: a change that
 * would make a running batch take another path (other activities, another order, a new
 * command without `patched()`) fails here instead of in production. Record a new history
 * with `npm run record-history -- <workflowId> <name>` whenever the workflow changes.
 */
// A CommonJS package whose names Node's ESM loader cannot see: take them from its default export.
const { temporal } = proto;

const recorded = recordedHistoryFiles().map(({ name, file }) => ({ name, history: readHistoryFile(file) }));

describe('recorded workflow histories', () => {
  it('cover a success, a transient retry, a permanent failure and a pre-registry batch', () => {
    expect(recorded.map((r) => r.name)).toEqual(
      expect.arrayContaining(['batch-before-registry', 'batch-every-model-succeeded', 'batch-transient-retry-then-succeeded', 'batch-poison-event-failed']),
    );
  });

  it('cover a rebuild run that continued as new and the run that swapped the model in', () => {
    const types = (name: string) => (recorded.find((r) => r.name === name)?.history.events ?? []).map((e) => e.eventType);
    const { EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: continued, EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: completed } = temporal.api.enums.v1.EventType;
    expect(types('rebuild-continued-as-new').at(-1)).toBe(continued);
    expect(types('rebuild-swapped-in').at(-1)).toBe(completed);
  });

  it('replay on the current workflow code without a nondeterminism error', async () => {
    const histories = recorded.map(({ name, history }) => ({ workflowId: name, history }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code: inject('workflowBundle') } }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('hold no personal data in any payload', () => {
    for (const { name, history } of recorded) {
      const payloads = decodedPayloads(history);
      expect(payloads.length, name).toBeGreaterThan(0);
      expect(payloads.flatMap(personalDataKeys), name).toEqual([]);
    }
  });
});
