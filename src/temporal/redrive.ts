import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { FAILED_READ_MODELS, ORDER_IDS } from '../../workflows/search-attributes.js';

export type RedriveFilter = { order: string } | { readModel: string } | { query: string };

export interface RedriveOutcome {
  workflowId: string;
  failedRunId: string;
  /** The new run the reset started, or why the run was left alone. */
  newRunId?: string;
  skipped?: string;
}

// Ids and names are compared inside a quoted literal: a quote or backslash would end it.
const QUOTE_SAFE = /^[^"'\\]+$/;

function literal(value: string, what: string): string {
  if (!QUOTE_SAFE.test(value)) throw new Error(`${what} must not contain quotes or backslashes`);
  return `"${value}"`;
}

/** The visibility query naming the failed batch runs a filter selects. */
export function failedBatchQuery(filter: RedriveFilter): string {
  const failed = `WorkflowType = "projectOutboxBatch" AND ExecutionStatus = "Failed"`;
  if ('order' in filter) return `${failed} AND ${ORDER_IDS.name} = ${literal(filter.order, 'an order id')}`;
  if ('readModel' in filter) return `${failed} AND ${FAILED_READ_MODELS.name} = ${literal(filter.readModel, 'a read model name')}`;
  return `${failed} AND (${filter.query})`;
}

/**
 * Resets every failed batch run the filter finds to its first workflow task, as
 * `temporal workflow reset --type FirstWorkflowTask` does: the new run schedules every read
 * model again on the same input (projections are idempotent). A failed run that is no longer
 * its workflow's latest was already re-driven and is left alone, so running this twice
 * re-drives nothing twice.
 */
export async function redriveFailedBatches(client: Client, filter: RedriveFilter, reason: string): Promise<RedriveOutcome[]> {
  const outcomes: RedriveOutcome[] = [];
  for await (const run of client.workflow.list({ query: failedBatchQuery(filter) })) {
    outcomes.push(await redriveRun(client, run.workflowId, run.runId, reason));
  }
  return outcomes;
}

async function redriveRun(client: Client, workflowId: string, runId: string, reason: string): Promise<RedriveOutcome> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  if (latest.runId !== runId) return { workflowId, failedRunId: runId, skipped: `already re-driven (latest run ${latest.runId} is ${latest.status.name})` };
  const { namespace } = client.options;
  const response: { runId?: string | null } = await client.workflowService.resetWorkflowExecution({
    namespace,
    workflowExecution: { workflowId, runId },
    reason,
    workflowTaskFinishEventId: await firstWorkflowTaskCompleted(client, workflowId, runId),
    requestId: randomUUID(),
  });
  return { workflowId, failedRunId: runId, newRunId: response.runId ?? '' };
}

/** The reset point of `--type FirstWorkflowTask`: the first completed workflow task. */
async function firstWorkflowTaskCompleted(client: Client, workflowId: string, runId: string) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const WORKFLOW_TASK_COMPLETED = 7; // temporal.api.enums.v1.EventType
  const event = history.events?.find((e) => e.eventType === WORKFLOW_TASK_COMPLETED);
  if (!event?.eventId) throw new Error(`${workflowId} (${runId}) never completed a workflow task; nothing to reset to`);
  return event.eventId;
}
