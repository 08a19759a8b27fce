import { describe, expect, it } from 'vitest';
import { nextRetryWait, retryTimes } from '../../bench/outage/backoff.js';

describe('the outage bench backoff prediction', () => {
  it('lists the retry times of the projection policy: 0.5 s doubling, capped at 30 s', () => {
    expect(retryTimes(100)).toEqual([0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5, 91.5]);
  });

  it('predicts the wait after a reopen as the next retry at or after the outage end', () => {
    expect(nextRetryWait(20)).toBe(11.5);
    expect(nextRetryWait(31.5)).toBe(0);
    expect(nextRetryWait(70)).toBe(21.5);
  });
});
