import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { classifyStoreError, SearchBulkError } from '../../src/read-models/failures/classify.js';

/** Shaped as the pg driver shapes a server's error answer. */
function serverError(code: string, constraint?: string): Error {
  const error = new pg.DatabaseError('refused', 0, 'error');
  Object.assign(error, { severity: 'ERROR', code, constraint, table: 'order_summary', detail: 'Failing row contains (ada@example.com)' });
  return error;
}

describe('classifyStoreError', () => {
  it.each([
    ['23514', 'check_violation'], ['23505', 'unique_violation'], ['22001', 'string too long'], ['22P02', 'invalid text'],
  ])('treats SQLSTATE %s (%s) as permanent, naming the code and constraint but no value', (code) => {
    const result = classifyStoreError(serverError(code, 'order_summary_refuse'));
    expect(result).toEqual({ permanent: true, scope: 'event', reason: `sqlstate ${code}, constraint order_summary_refuse, table order_summary` });
  });

  it.each([['40001'], ['40P01'], ['57P01'], ['53300']])('retries SQLSTATE %s', (code) => {
    expect(classifyStoreError(serverError(code)).permanent).toBe(false);
  });

  it('retries connection errors, whose code is no SQLSTATE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'EPIPE' });
    expect(classifyStoreError(refused)).toMatchObject({ permanent: false });
  });

  it.each(['mapper_parsing_exception', 'strict_dynamic_mapping_exception', 'illegal_argument_exception'])('treats the bulk item error %s as a refused event', (type) => {
    expect(classifyStoreError(new SearchBulkError('p-support', [type], 1, 3))).toEqual({ permanent: true, scope: 'event', reason: `${type} on p-support` });
  });

  it('treats a missing index behind the alias as the whole store missing', () => {
    expect(classifyStoreError(new SearchBulkError('p-support', ['index_not_found_exception'], 3, 3))).toMatchObject({ permanent: true, scope: 'store' });
  });

  it('retries rejected executions (429) and unavailable shards', () => {
    expect(classifyStoreError(new SearchBulkError('p-support', ['es_rejected_execution_exception'], 1, 3)).permanent).toBe(false);
    expect(classifyStoreError(new SearchBulkError('p-support', ['unavailable_shards_exception'], 1, 3)).permanent).toBe(false);
  });
});
