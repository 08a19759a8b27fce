import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

const withCode = (code: string) => Object.assign(new Error('driver text'), { code });

describe('isDatabaseUnavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08P01'])('counts %s as the database out of reach', (code) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(true);
  });

  it('counts a connection ended under a query and a pool that waited past its timeout', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('looks into causes and into the errors of an AggregateError (IPv4 and IPv6 both refused)', () => {
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
  });

  it.each(['23505', '40P01', '42601', '22P02', 'FST_ERR_BAD_URL'])('leaves %s to the other rules', (code) => {
    expect(isDatabaseUnavailable(withCode(code))).toBe(false);
  });

  it('leaves values that are not errors alone', () => {
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
