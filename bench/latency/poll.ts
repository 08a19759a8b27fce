import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` every `intervalMs` until it says yes, and returns the time from `since`
 * to the answer that said yes; null when `deadlineMs` (from `since`) passes first.
 * The result includes that last probe's round trip: the floor measurements poll the same way.
 */
export async function msUntil(since: number, probe: () => Promise<boolean>, intervalMs: number, deadlineMs: number): Promise<number | null> {
  while (performance.now() - since < deadlineMs) {
    if (await probe()) return performance.now() - since;
    await sleep(intervalMs);
  }
  return null;
}

export function randomGap(minMs: number, maxMs: number): Promise<void> {
  return sleep(minMs + Math.random() * (maxMs - minMs));
}
