import { describe, expect, it } from 'vitest';
import { decodedPayloads, historyToFileText, personalDataKeys, readHistoryText } from './history-files.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const json = (value: unknown) => ({ metadata: { encoding: base64('json/plain') }, data: base64(JSON.stringify(value)) });

/** A failed activity whose failure carries a stack trace and the given details. */
function failedHistory(input: unknown) {
  return readHistoryText(
    JSON.stringify({
      events: [
        { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: { input: { payloads: [json(input)] } } },
        { eventId: '2', eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED', activityTaskFailedEventAttributes: { failure: { message: 'refused', stackTrace: 'at apply (/home/someone/app/activities.ts:1:1)' } } },
      ],
    }),
  );
}

describe('recorded history files', () => {
  it('leave failure stack traces out and keep every payload readable', () => {
    const text = historyToFileText(failedHistory({ batchId: 7, events: [{ eventId: 'e-1' }] }));

    expect(text).not.toContain('stackTrace');
    expect(text).not.toContain('/home/someone');
    expect(decodedPayloads(readHistoryText(text))).toEqual([{ batchId: 7, events: [{ eventId: 'e-1' }] }]);
  });

  it('find personal-data keys at any depth of a payload', () => {
    const text = historyToFileText(failedHistory({ batchId: 7, events: [{ eventId: 'e-1', customer: { email: 'ada@example.com' } }] }));

    expect(decodedPayloads(readHistoryText(text)).flatMap(personalDataKeys)).toEqual(['customer', 'email']);
  });
});
