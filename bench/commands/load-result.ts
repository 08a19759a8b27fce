/** What one side of the comparison measured over the measured window (warm-up excluded). */
export interface LoadResult {
  label: string;
  windowSeconds: number;
  /** Successful orders (201 for the API, committed transactions for pgbench). */
  succeeded: number;
  /** Everything else, by status or reason. */
  failures: Record<string, number>;
  /** Latency of each success, in ms. */
  latenciesMs: number[];
  notes: string[];
}

export function throughput(result: LoadResult): number {
  return result.succeeded / result.windowSeconds;
}

export function failureText(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length === 0 ? '0' : entries.map(([what, n]) => `${n} x ${what}`).join(', ');
}
