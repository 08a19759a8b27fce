import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { failedModelsOf, uiUrlOf } from '../../src/read-models/status/failed-batches.js';
import { safeErrorReason } from '../../src/read-models/status/stats.js';

const scheduled = (eventId: number, readModel: string) => ({
  eventId, activityTaskScheduledEventAttributes: { activityType: { name: 'applyReadModel' }, input: { payloads: [defaultPayloadConverter.toPayload({ readModel, eventIds: [] })] } },
});

describe('which read models failed in a batch history', () => {
  it('names the models whose activity failed or timed out, not those that completed', () => {
    const events = [
      scheduled(5, 'order-status'), scheduled(6, 'support-search'), scheduled(7, 'agent-timeline'),
      { eventId: 9, activityTaskCompletedEventAttributes: { scheduledEventId: 6 } },
      { eventId: 10, activityTaskFailedEventAttributes: { scheduledEventId: 5 } },
      { eventId: 11, activityTaskTimedOutEventAttributes: { scheduledEventId: 7 } },
    ];
    expect([...failedModelsOf(events as never)].sort()).toEqual(['agent-timeline', 'order-status']);
  });

  it('maps the activities of batches dispatched before the registry', () => {
    const events = [
      { eventId: 5, activityTaskScheduledEventAttributes: { activityType: { name: 'projectSearchIndex' } } },
      { eventId: 8, activityTaskFailedEventAttributes: { scheduledEventId: 5 } },
    ];
    expect([...failedModelsOf(events as never)]).toEqual(['support-search']);
  });

  it('links a run into the Temporal UI', () => {
    const view = { client: null as never, namespace: 'default', taskQueue: 'q', uiUrl: 'http://ui.example:8233/' };
    expect(uiUrlOf(view, 'outbox-a-batch-2', 'run-1')).toBe('http://ui.example:8233/namespaces/default/workflows/outbox-a-batch-2/run-1/history');
  });
});

describe('the last error a read model shows', () => {
  it('keeps SQLSTATE and constraint, never the values in the message', () => {
    const error = Object.assign(new Error('new row violates check constraint "c", Failing row contains (ada@example.com)'), {
      severity: 'ERROR', code: '23514', constraint: 'c', table: 'order_summary', detail: 'Failing row contains (ada@example.com)',
    });
    expect(safeErrorReason(error)).toBe('sqlstate 23514, constraint c, table order_summary');
  });

  it('gives a permanent failure its type and classified reason', () => {
    const failure = ApplicationFailure.nonRetryable('read model x refused event e (order o)', 'ReadModelEventRejected', { readModel: 'x', reason: 'sqlstate 23514, constraint c' });
    expect(safeErrorReason(failure)).toBe('ReadModelEventRejected: sqlstate 23514, constraint c');
  });
});
