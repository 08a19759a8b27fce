import { backlogTolerance, judgeSeries, TOLERANCES, type SeriesVerdict, type Tolerance } from './flatness.js';
import type { SoakSample } from './sampler.js';

type Pick = (sample: SoakSample) => number | null | undefined;

function judge(samples: readonly SoakSample[], series: string, unit: string, pick: Pick, tolerance: Tolerance): SeriesVerdict {
  const points = samples.map((s) => ({ atSeconds: s.atSeconds, value: pick(s) ?? Number.NaN }));
  return judgeSeries(series, unit, points, tolerance);
}

/** Every series the soak watches, each judged flat or not over the samples of the load. */
export function judgeAll(samples: readonly SoakSample[], models: readonly string[], parts: readonly string[], eventsPerSecond: number): SeriesVerdict[] {
  const verdicts = models.map((m) => judge(samples, `backlog ${m}`, 'events', (s) => s.backlog[m], backlogTolerance(eventsPerSecond)));
  // The archive schedule moves applied rows once a minute: the hot table may hold a minute of load more.
  verdicts.push(judge(samples, 'outbox rows', 'rows', (s) => s.outboxRows, backlogTolerance(eventsPerSecond * 60)));
  verdicts.push(judge(samples, 'pg connections', 'conns', (s) => Object.values(s.pgConnections).reduce((a, b) => a + b, 0), TOLERANCES.connections));
  for (const part of parts) {
    verdicts.push(
      judge(samples, `${part} rss`, 'MB', (s) => s.processes[part]?.rssMb, TOLERANCES.memory),
      judge(samples, `${part} heap used`, 'MB', (s) => s.processes[part]?.heapUsedMb, TOLERANCES.memory),
      judge(samples, `${part} open sockets`, 'fds', (s) => s.processes[part]?.sockets, TOLERANCES.handles),
      judge(samples, `${part} open fds`, 'fds', (s) => s.processes[part]?.fds, TOLERANCES.handles),
      judge(samples, `${part} active handles`, 'handles', (s) => s.processes[part]?.activeResources, TOLERANCES.handles),
    );
  }
  return verdicts;
}

/**
 * Pools, keep-alive sockets and the JIT fill up in the first minute whatever the rate: the
 * first minute (a fifth of shorter runs) is warm-up, printed but not judged.
 */
export function warmupSeconds(minutes: number): number {
  return Math.min(60, (minutes * 60) / 5);
}

export function settled(samples: readonly SoakSample[], minutes: number): SoakSample[] {
  return samples.filter((s) => s.atSeconds > warmupSeconds(minutes));
}
