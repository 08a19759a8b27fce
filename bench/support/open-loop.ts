import { setTimeout as sleep } from 'node:timers/promises';

/** A cap on lives running at once: past it, a due start is counted as scheduled but skipped. */
const MAX_IN_FLIGHT = 2_000;
const TICK_MS = 5;

export interface OpenLoopCounts {
  scheduled: number;
  started: number;
}

/**
 * Open loop: one life starts every 1/rate s whatever the answers, so a slow system sees the
 * same arrivals as a fast one. Ends after `durationMs` (or once `stopped()`), then resolves
 * when every started life has finished.
 */
export async function runOpenLoop(counts: OpenLoopCounts, rate: number, durationMs: number, startLife: () => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  const running = new Set<Promise<void>>();
  const start = performance.now();
  for (let elapsed = 0; elapsed < durationMs && !stopped(); elapsed = performance.now() - start) {
    const due = Math.floor((elapsed * rate) / 1_000);
    for (; counts.scheduled < due; counts.scheduled++) {
      if (running.size >= MAX_IN_FLIGHT) continue;
      counts.started++;
      const life = startLife().finally(() => running.delete(life));
      running.add(life);
    }
    await sleep(TICK_MS);
  }
  await Promise.all(running);
}
