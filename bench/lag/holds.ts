/**
 * Whether a rate holds: pure decisions over what a trial measured, kept apart from the I/O so
 * they can be checked on their own.
 */
import type { BacklogSample } from './backlog.js';
import type { LoadOutcome } from './load.js';

export const EVENTS_PER_ORDER = 4;

export interface TrialPlan {
  rate: number;
  warmupSeconds: number;
  seconds: number;
  drainSeconds: number;
  /** Watch every n-th order through the support search (0 = none). */
  searchEvery: number;
}

export interface Flatness {
  /** Slowest model's mean backlog over the first and the last `edgeSeconds` of the steady window. */
  atStart: number;
  atEnd: number;
  edgeSeconds: number;
  /** Allowed growth over the window: one second of load. */
  allowance: number;
  slopePerSecond: number;
  /** slope x window: how much the fitted line rose over the window. */
  growth: number;
  /** Events committed per second in the window (what the write side offered). */
  committedPerSecond: number;
}

/** Least-squares slope of the backlog over [fromMs, toMs], in events per second. */
export function backlogSlope(samples: readonly BacklogSample[], fromMs: number, toMs: number): number {
  const window = samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  if (window.length < 2) return Number.NaN;
  const meanX = window.reduce((sum, s) => sum + s.atMs, 0) / window.length;
  const meanY = window.reduce((sum, s) => sum + s.backlog, 0) / window.length;
  const covariance = window.reduce((sum, s) => sum + (s.atMs - meanX) * (s.backlog - meanY), 0);
  const variance = window.reduce((sum, s) => sum + (s.atMs - meanX) ** 2, 0);
  return variance === 0 ? Number.NaN : (covariance / variance) * 1_000;
}

/** The sample closest to a moment of the run. */
export function sampleAt(samples: readonly BacklogSample[], atMs: number): BacklogSample | undefined {
  let best: BacklogSample | undefined;
  for (const s of samples) if (!best || Math.abs(s.atMs - atMs) < Math.abs(best.atMs - atMs)) best = s;
  return best;
}

/** Mean backlog over [fromMs, toMs]: batches drain it in steps, so one sample may catch a peak or a trough. */
function meanBacklog(samples: readonly BacklogSample[], fromMs: number, toMs: number): number {
  const inside = samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  return inside.length === 0 ? Number.NaN : Math.round(inside.reduce((sum, s) => sum + s.backlog, 0) / inside.length);
}

/** Edges of the window are compared over a few seconds each (5 s, or a third of a short window). */
export function flatness(samples: readonly BacklogSample[], plan: TrialPlan): Flatness {
  const fromMs = plan.warmupSeconds * 1_000;
  const toMs = fromMs + plan.seconds * 1_000;
  const edgeMs = Math.min(5_000, (plan.seconds * 1_000) / 3);
  const start = sampleAt(samples, fromMs);
  const end = sampleAt(samples, toMs);
  const seconds = end && start ? (end.atMs - start.atMs) / 1_000 : Number.NaN;
  const slope = backlogSlope(samples, fromMs, toMs);
  return {
    atStart: meanBacklog(samples, fromMs, fromMs + edgeMs),
    atEnd: meanBacklog(samples, toMs - edgeMs, toMs),
    edgeSeconds: edgeMs / 1_000,
    allowance: plan.rate * EVENTS_PER_ORDER,
    slopePerSecond: slope,
    growth: Math.round(slope * plan.seconds),
    committedPerSecond: end && start ? (end.committed - start.committed) / seconds : Number.NaN,
  };
}

/**
 * "Holds": the API committed at least 90% of the offered events per second, every scheduled
 * order started, almost every command succeeded, and the backlog grew by at most one second of
 * load over the window. Growth is read off a least-squares line through every sample: batches
 * drain the backlog in steps every few seconds, so two single samples would mostly measure
 * where in that cycle they fell.
 */
export function judge(load: LoadOutcome, flat: Flatness): string[] {
  const verdict: string[] = [];
  // The write side must keep up too: an open loop the API falls behind on piles up requests instead.
  const offered = flat.allowance; // one second of load = the offered events per second
  if (!(flat.committedPerSecond >= offered * 0.9)) verdict.push(`the API committed ${flat.committedPerSecond.toFixed(1)} of ${offered} events/s`);
  if (load.started < load.scheduled) verdict.push(`${load.scheduled - load.started} orders not started (client at its in-flight cap)`);
  const failures = Object.values(load.failures).reduce((sum, n) => sum + n, 0);
  if (failures > load.started * 0.01) verdict.push(`${failures} commands failed`);
  if (!(flat.growth <= flat.allowance)) verdict.push(`the backlog grew by ${flat.growth} events over the window (fitted line)`);
  return verdict;
}

/** What the rate search needs of a trial. */
export interface RateOutcome {
  plan: { rate: number };
  holds: boolean;
}

/**
 * The rates to try: the asked one; with `find`, halves until one holds, then the middle
 * between it and the lowest that failed, once (a full bisection would load the machine for long).
 */
export async function searchRates<T extends RateOutcome>(rate: number, find: boolean, run: (rate: number) => Promise<T>): Promise<T[]> {
  const done = [await run(rate)];
  if (!find) return done;
  let failed = rate;
  while (!done.at(-1)!.holds && done.at(-1)!.plan.rate > 1) {
    failed = done.at(-1)!.plan.rate;
    done.push(await run(Math.max(1, Math.floor(failed / 2))));
  }
  const held = done.at(-1)!;
  const middle = Math.floor((held.plan.rate + failed) / 2);
  if (held.holds && middle > held.plan.rate) done.push(await run(middle));
  return done;
}

/** The highest rate that held, or the last one tried when none did. */
export function highestHeld<T extends RateOutcome>(done: readonly T[]): T {
  const held = done.filter((t) => t.holds).sort((a, b) => b.plan.rate - a.plan.rate);
  return held[0] ?? done.at(-1)!;
}
