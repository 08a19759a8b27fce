import { describe, expect, it } from 'vitest';
import { formatVerifyRun, parseDuration, parseVerifyArgs } from '../../src/read-models/verify/report.js';
import type { VerifyRun } from '../../src/read-models/verify/run.js';

describe('parseDuration', () => {
  it('reads seconds, minutes and hours', () => {
    expect([parseDuration('90s'), parseDuration('15m'), parseDuration('2h')]).toEqual([90_000, 900_000, 7_200_000]);
  });
  it.each(['30', '1.5m', '-5s', '5 s', '5d', ''])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/a duration looks like 90s, 15m or 2h/);
  });
});

describe('parseVerifyArgs', () => {
  it('defaults to no wait and ten findings per model', () => {
    expect(parseVerifyArgs([])).toEqual({ waitMs: 0, show: 10, help: false });
  });
  it('reads --wait and --show', () => {
    expect(parseVerifyArgs(['--wait', '30s', '--show', '3'])).toEqual({ waitMs: 30_000, show: 3, help: false });
  });
  it('refuses unknown arguments and a --show that is not a count', () => {
    expect(() => parseVerifyArgs(['--all'])).toThrow('unknown argument "--all"');
    expect(() => parseVerifyArgs(['--show', 'x'])).toThrow('--show needs a whole number');
  });
});

describe('formatVerifyRun', () => {
  const run: VerifyRun = {
    events: 12,
    orders: 3,
    results: [
      { name: 'write-model', store: 'postgres', checked: 3, findings: [] },
      {
        name: 'order-status', store: 'postgres', checked: 3, freshness: { position: 12, lagEvents: 0, lagMs: 0 },
        findings: [{ orderId: 'o-1', problem: 'missing: no row for an order in the log' }, { orderId: 'o-2', problem: 'wrong version: holds v1, the log has v2' }],
      },
    ],
  };

  it('prints a table row per model, counting the orders that match, then the first findings', () => {
    expect(formatVerifyRun(run, 1)).toEqual([
      'Fresh fold of the outbox log: 12 events, 3 orders',
      '',
      'model         store     checkpoint  checked  matching  findings',
      'write-model   postgres           -        3         3         0',
      'order-status  postgres  12 (lag 0)        3         1         2',
      '',
      'order-status: 2 finding(s), the first 1',
      '  order o-1: missing: no row for an order in the log',
      '',
      '2 finding(s): the models above differ from the log.',
    ]);
  });
});
