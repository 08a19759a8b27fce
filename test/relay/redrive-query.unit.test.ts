import { describe, expect, it } from 'vitest';
import { withinOrderLimit } from '../../src/relay/claim.js';
import { failedBatchQuery } from '../../src/temporal/redrive.js';

describe('the re-drive query', () => {
  it('selects failed batch workflows of one order or one read model', () => {
    expect(failedBatchQuery({ order: 'o-1' })).toBe('WorkflowType = "projectOutboxBatch" AND ExecutionStatus = "Failed" AND OrderIds = "o-1"');
    expect(failedBatchQuery({ readModel: 'support-search' })).toContain('AND FailedReadModels = "support-search"');
    expect(failedBatchQuery({ query: 'FirstPosition >= 10' })).toContain('ExecutionStatus = "Failed" AND (FirstPosition >= 10)');
  });

  it('refuses a value that would end its quoted literal and widen the query', () => {
    expect(() => failedBatchQuery({ order: 'x" OR WorkflowId != "' })).toThrow(/quotes/);
    expect(() => failedBatchQuery({ readModel: "a' OR 1=1" })).toThrow(/quotes/);
  });
});

describe('the orders-per-batch bound of a claim', () => {
  const events = ['a', 'a', 'b', 'c', 'b', 'd'].map((aggregate_id, i) => ({ aggregate_id, i }));

  it('keeps the longest prefix with at most that many orders, in claim order', () => {
    expect(withinOrderLimit(events, 2).map((e) => e.i)).toEqual([0, 1, 2]);
    expect(withinOrderLimit(events, 3).map((e) => e.i)).toEqual([0, 1, 2, 3, 4]);
    expect(withinOrderLimit(events, 4)).toEqual(events);
  });
});
