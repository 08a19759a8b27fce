/**
 * Runtime configuration, read once from the environment and frozen.
 * A bad value fails loudly at start-up rather than misbehaving later.
 */
export type Role = 'client' | 'support' | 'operator';

export interface AppConfig {
  readonly httpHost: string;
  readonly httpPort: number;
  readonly taskQueue: string;
  readonly temporalNamespace: string;
  readonly searchIndexPrefix: string;
  readonly relay: RelayConfig;
  readonly idempotencyRetentionMs: number;
  /** token → role; empty when API_TOKENS is unset (the launcher then generates tokens). */
  readonly apiTokens: ReadonlyMap<string, Role>;
}

export interface RelayConfig {
  readonly maxBatchSize: number;
  /** Batch workflows running at once; past this, events wait and the next batch grows. */
  readonly maxInFlight: number;
  /** Fallback poll when no NOTIFY arrives (rows that became visible late, lost connections). */
  readonly pollIntervalMs: number;
  /** Pause after a busy batch, so that under load fewer, larger workflows carry the events. */
  readonly lingerMs: number;
  /** How often the relay looks for batches another (possibly dead) relay left behind. */
  readonly sweepIntervalMs: number;
  /** How old a claimed batch must be before the sweep takes it over from whoever claimed it. */
  readonly sweepAgeMs: number;
}

const ROLES: readonly Role[] = ['client', 'support', 'operator'];

function int(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

export function parseApiTokens(raw: string | undefined): Map<string, Role> {
  const tokens = new Map<string, Role>();
  if (!raw) return tokens;
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const separator = entry.lastIndexOf('=');
    const token = entry.slice(0, separator);
    const role = entry.slice(separator + 1) as Role;
    if (separator <= 0 || !ROLES.includes(role)) {
      throw new Error(`API_TOKENS entries must look like token=role with role in ${ROLES.join('|')}`);
    }
    if (token.length < 16) throw new Error('API_TOKENS: each token needs at least 16 characters');
    tokens.set(token, role);
  }
  return tokens;
}

export function loadConfig(): AppConfig {
  return Object.freeze({
    httpHost: process.env.HTTP_HOST ?? '127.0.0.1',
    httpPort: int('PORT', 3000),
    taskQueue: process.env.TASK_QUEUE ?? 'order-projections',
    temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    searchIndexPrefix: process.env.SEARCH_INDEX_PREFIX ?? 'orders',
    relay: Object.freeze({
      maxBatchSize: int('RELAY_MAX_BATCH', 500, 1),
      maxInFlight: int('RELAY_MAX_IN_FLIGHT', 4, 1),
      pollIntervalMs: int('RELAY_POLL_MS', 250, 10),
      lingerMs: int('RELAY_LINGER_MS', 250, 0),
      sweepIntervalMs: int('RELAY_SWEEP_INTERVAL_MS', 5_000, 10),
      sweepAgeMs: int('RELAY_SWEEP_AGE_MS', 5_000, 0),
    }),
    idempotencyRetentionMs: int('IDEMPOTENCY_RETENTION_HOURS', 24, 1) * 3_600_000,
    apiTokens: parseApiTokens(process.env.API_TOKENS),
  });
}
