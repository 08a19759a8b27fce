import { describe, expect, it } from 'vitest';
import { untilCaughtUp, type ModelProgress } from '../../bench/outage/lag.js';

/** What GET /ops/read-models would answer on each poll, in turn. */
function answers(...progress: Array<[position: number, lagEvents: number]>): () => Promise<ModelProgress> {
  let at = 0;
  return async () => {
    const [position, lagEvents] = progress[Math.min(at++, progress.length - 1)]!;
    return { position, lagEvents };
  };
}

describe('bench:outage catch-up after the reopen', () => {
  it('marks the backlog applied once the checkpoint passes the head seen at the reopen, before the lag reads zero', async () => {
    // Head 15 at the reopen; the checkpoint passes it on the 3rd poll while new events keep the lag above zero.
    const caughtUp = await untilCaughtUp(answers([10, 5], [12, 6], [15, 3], [17, 2], [20, 0]), 60);
    expect(caughtUp.maxLag).toBe(6);
    expect(caughtUp.backlogSeconds).toBeGreaterThan(0);
    expect(caughtUp.backlogSeconds).toBeLessThan(caughtUp.lagZeroSeconds);
  });

  it('counts both at once when the lag is already zero', async () => {
    const caughtUp = await untilCaughtUp(answers([7, 0]), 60);
    expect(caughtUp).toEqual({ backlogSeconds: caughtUp.lagZeroSeconds, lagZeroSeconds: caughtUp.lagZeroSeconds, maxLag: 0 });
  });
});
