/**
 * Whether a series stayed flat over a soak: pure decisions over the samples, kept apart from
 * the I/O so they can be checked on their own. The first third of the samples is compared with
 * the last third (means, so that one sample caught at a batch's peak or a GC does not decide).
 */

export interface SeriesVerdict {
  series: string;
  unit: string;
  firstThird: number;
  lastThird: number;
  /** The most the last third may average: first third x (1 + ratio) + slack. */
  limit: number;
  /** Least-squares slope over all samples, per minute (informative). */
  slopePerMinute: number;
  pass: boolean;
}

/** How much a kind of series may grow between the first and the last third before it counts as rising. */
export interface Tolerance {
  ratio: number;
  slack: number;
}

export const TOLERANCES = {
  /** Memory settles after warm-up; a leak keeps climbing past a fifth. */
  memory: { ratio: 0.2, slack: 16 },
  /** Pools are bounded; a few more idle ones may open under a burst. */
  connections: { ratio: 0.2, slack: 2 },
  handles: { ratio: 0.2, slack: 10 },
} as const satisfies Record<string, Tolerance>;

/** The backlog may grow by one second of offered load at most (the bench:lag rule): it drains in steps. */
export function backlogTolerance(eventsPerSecond: number): Tolerance {
  return { ratio: 0, slack: eventsPerSecond };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

export function slopePerMinute(points: ReadonlyArray<{ atSeconds: number; value: number }>): number {
  if (points.length < 2) return Number.NaN;
  const mx = mean(points.map((p) => p.atSeconds));
  const my = mean(points.map((p) => p.value));
  const cov = points.reduce((s, p) => s + (p.atSeconds - mx) * (p.value - my), 0);
  const variance = points.reduce((s, p) => s + (p.atSeconds - mx) ** 2, 0);
  return variance === 0 ? Number.NaN : (cov / variance) * 60;
}

/** Fewer than three samples cannot have a first and a last third: such a series never passes. */
export function judgeSeries(series: string, unit: string, points: ReadonlyArray<{ atSeconds: number; value: number }>, tolerance: Tolerance): SeriesVerdict {
  const usable = points.filter((p) => Number.isFinite(p.value));
  const third = Math.floor(usable.length / 3);
  const firstThird = third === 0 ? Number.NaN : mean(usable.slice(0, third).map((p) => p.value));
  const lastThird = third === 0 ? Number.NaN : mean(usable.slice(-third).map((p) => p.value));
  const limit = firstThird * (1 + tolerance.ratio) + tolerance.slack;
  return { series, unit, firstThird, lastThird, limit, slopePerMinute: slopePerMinute(usable), pass: third > 0 && lastThird <= limit };
}
