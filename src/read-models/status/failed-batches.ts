import { Client, Connection, defaultPayloadConverter, type WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** Where the API looks for batch workflows: Temporal visibility, read-only. */
export interface TemporalView {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** The Temporal Web UI, for links (TEMPORAL_UI_URL). */
  uiUrl: string;
}

export interface FailedBatch {
  workflowId: string;
  runId: string;
  uiUrl: string;
  /** When the workflow failed, by Temporal's clock. */
  closedAt?: Date;
}

/** At most this many recent failed batches are examined per request. */
export const FAILED_BATCH_LIMIT = 20;
/** Past this, Temporal counts as unreachable and the answer goes without failed batches. */
export const TEMPORAL_DEADLINE_MS = 3_000;

/**
 * A connection made on first use, so the API starts without Temporal, and without the
 * client's retries: a status read that fails is reported as such at once, and the next
 * request asks again.
 */
export function temporalViewOf(address: string, options: Omit<TemporalView, 'client'>): { view: TemporalView; close(): Promise<void> } {
  const connection = Connection.lazy({ address, connectTimeout: TEMPORAL_DEADLINE_MS, interceptors: [] });
  const client = new Client({ connection, namespace: options.namespace });
  return { view: { ...options, client }, close: () => connection.close().catch(() => undefined) };
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// Activities of batches dispatched before the registry name their model by activity type.
const legacyActivities: Record<string, string> = { projectOrderSummary: 'order-status', projectSearchIndex: 'support-search' };

/** The read model a scheduled projection activity was for, from its input. */
function scheduledModel(event: HistoryEvent): string | undefined {
  const attributes = event.activityTaskScheduledEventAttributes!;
  const type = attributes.activityType?.name ?? '';
  if (legacyActivities[type]) return legacyActivities[type];
  const payload = attributes.input?.payloads?.[0];
  if (type !== 'applyReadModel' || !payload) return undefined;
  const input = defaultPayloadConverter.fromPayload<{ readModel?: unknown }>(payload);
  return typeof input?.readModel === 'string' ? input.readModel : undefined;
}

/** The read models whose projection activity failed for good (or timed out) in this history. */
export function failedModelsOf(events: readonly HistoryEvent[]): Set<string> {
  const scheduled = new Map<string, string | undefined>();
  const failed = new Set<string>();
  for (const event of events) {
    if (event.activityTaskScheduledEventAttributes) scheduled.set(String(event.eventId), scheduledModel(event));
    const ended = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    const model = ended ? scheduled.get(String(ended.scheduledEventId)) : undefined;
    if (model) failed.add(model);
  }
  return failed;
}

export function uiUrlOf(view: TemporalView, workflowId: string, runId: string): string {
  const base = view.uiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(view.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

async function recentFailed(view: TemporalView): Promise<WorkflowExecutionInfo[]> {
  const query = `TaskQueue = '${view.taskQueue.replaceAll("'", "\\'")}' AND ExecutionStatus = 'Failed'`;
  const found: WorkflowExecutionInfo[] = [];
  for await (const workflow of view.client.workflow.list({ query, pageSize: FAILED_BATCH_LIMIT })) {
    found.push(workflow);
    if (found.length >= FAILED_BATCH_LIMIT) break;
  }
  return found;
}

/** Recent failed batch workflows, by the read models that failed in each. */
async function failedBatchesByModel(view: TemporalView): Promise<Map<string, FailedBatch[]>> {
  const byModel = new Map<string, FailedBatch[]>();
  for (const workflow of await recentFailed(view)) {
    const history = await view.client.workflow.getHandle(workflow.workflowId, workflow.runId).fetchHistory();
    const batch = { workflowId: workflow.workflowId, runId: workflow.runId, uiUrl: uiUrlOf(view, workflow.workflowId, workflow.runId), closedAt: workflow.closeTime };
    for (const model of failedModelsOf(history.events ?? [])) byModel.set(model, [...(byModel.get(model) ?? []), batch]);
  }
  return byModel;
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('temporal deadline exceeded')), ms).unref());
}

/** The failed batches per read model, or `unreachable` when Temporal does not answer in time. */
export async function readFailedBatches(view: TemporalView | undefined, deadlineMs = TEMPORAL_DEADLINE_MS): Promise<Map<string, FailedBatch[]> | 'unreachable'> {
  if (!view) return 'unreachable';
  try {
    const work = view.client.connection.withDeadline(Date.now() + deadlineMs, () => failedBatchesByModel(view));
    work.catch(() => undefined); // lost the race: its late rejection is expected, not unhandled
    return await Promise.race([work, timeout(deadlineMs)]);
  } catch {
    return 'unreachable';
  }
}
