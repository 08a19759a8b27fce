/** The projection activities' retry policy (workflows/project-outbox-batch.ts): 0.5 s doubling to 30 s. */
export const RETRY = { initialSeconds: 0.5, coefficient: 2, maximumSeconds: 30 } as const;

/** Seconds after its first failure at which an activity is tried again: 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5, … */
export function retryTimes(until: number): number[] {
  const times: number[] = [];
  let interval: number = RETRY.initialSeconds;
  for (let at = interval; at <= until; at += interval) {
    times.push(at);
    interval = Math.min(interval * RETRY.coefficient, RETRY.maximumSeconds);
  }
  return times;
}

/**
 * How long after a store comes back an activity that started failing `outageSeconds` earlier
 * waits for its next attempt: the first retry at or after the outage's end, minus that end.
 */
export function nextRetryWait(outageSeconds: number): number {
  const next = retryTimes(outageSeconds + RETRY.maximumSeconds).find((at) => at >= outageSeconds)!;
  return next - outageSeconds;
}
