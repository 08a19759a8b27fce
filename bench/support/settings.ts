/** Bench parameters from the environment, bounded so that a typo cannot start an endless run. */
function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export interface CommandsBenchSettings {
  seconds: number;
  warmupSeconds: number;
  clients: number;
  products: number;
  drainSeconds: number;
}

export function commandsBenchSettings(): CommandsBenchSettings {
  return {
    seconds: int('BENCH_SECONDS', 15, 1, 600),
    warmupSeconds: int('BENCH_WARMUP_SECONDS', 3, 0, 60),
    clients: int('BENCH_CLIENTS', 32, 1, 256),
    products: int('BENCH_PRODUCTS', 8, 3, 1000),
    drainSeconds: int('BENCH_DRAIN_SECONDS', 120, 1, 900),
  };
}

export interface LatencyBenchSettings {
  orders: number;
  minGapMs: number;
  maxGapMs: number;
  /** Per sample: how long to wait for visibility before counting it as not visible. */
  deadlineMs: number;
}

export function latencyBenchSettings(): LatencyBenchSettings {
  return {
    orders: int('BENCH_ORDERS', 30, 1, 1000),
    minGapMs: 100,
    maxGapMs: 200,
    deadlineMs: int('BENCH_VISIBLE_DEADLINE_MS', 15_000, 100, 120_000),
  };
}
