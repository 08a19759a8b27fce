/**
 * Runtime configuration, read once from the environment and frozen.
 * A bad value fails loudly at start-up rather than misbehaving later.
 */
import { parseDuration } from './http/input/duration.js';
import { placeOrderBody } from './http/schemas.js';

export type Role = 'client' | 'support' | 'operator';

/** What a bearer token may do: its role and, for a customer-bound client token, whose orders. */
export interface TokenGrant {
  readonly role: Role;
  /** Only on `client` tokens: the one customer whose orders the token sees and acts on. */
  readonly customerId?: string;
}

export interface AppConfig {
  readonly httpHost: string;
  readonly httpPort: number;
  readonly taskQueue: string;
  readonly temporalNamespace: string;
  readonly searchIndexPrefix: string;
  /** The Temporal Web UI, for links to batch workflows (TEMPORAL_UI_URL). */
  readonly temporalUiUrl: string;
  readonly relay: RelayConfig;
  readonly relayLeader: RelayLeaderConfig;
  /** A prebuilt workflow bundle for the worker (WORKFLOW_BUNDLE); bundled from source when unset. */
  readonly workflowBundlePath: string | null;
  readonly idempotencyRetentionMs: number;
  readonly httpTimeouts: HttpTimeouts;
  /** token → grant; empty when API_TOKENS is unset (the launcher then generates tokens). */
  readonly apiTokens: ReadonlyMap<string, TokenGrant>;
  /** Read model rebuilds: events per replay step, steps per workflow run before it continues as new. */
  readonly rebuild: RebuildConfig;
  /** How often the schedule moves dispatched outbox rows into the event log; null: no schedule (OUTBOX_ARCHIVE_INTERVAL=off). */
  readonly archiveIntervalMs: number | null;
}

export interface RebuildConfig {
  readonly chunkSize: number;
  readonly chunksPerRun: number;
}

export interface RelayConfig {
  readonly maxBatchSize: number;
  /** Most distinct orders in one batch: their ids must fit one search attribute value (2 KB by default). */
  readonly maxOrdersPerBatch: number;
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

/** Only the relay holding the leader lock claims and dispatches; the others wait to take over. */
export interface RelayLeaderConfig {
  /** How often a follower tries to take the lock. */
  readonly retryMs: number;
  /** How often the leader checks that its lock connection is still alive. */
  readonly checkMs: number;
}

/** Bounds on how long a client may hold a connection; a slow client cannot pin sockets forever. */
export interface HttpTimeouts {
  /** The whole request, body included, must arrive within this; otherwise 408 and the socket closes. */
  readonly requestTimeoutMs: number;
  /** The request line and headers must arrive within this (at most requestTimeoutMs). */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 });

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

// The token ends at the first "=role" that makes the rest of the entry valid: a token may
// contain "=" (as before), and a customer id may too ("t=client:a=b" binds customer "a=b").
const TOKEN_ENTRY = new RegExp(`^(.+?)=(${ROLES.join('|')})(?::(.*))?$`, 's');
// A bound token names a customer exactly as an order's body does, so every orderable id can be bound.
const customerIdRules = placeOrderBody.shape.customerId;

function parseGrant(role: Role, customerId: string | undefined): TokenGrant {
  if (customerId === undefined) return Object.freeze({ role });
  if (role !== 'client') throw new Error(`API_TOKENS: only client tokens can be bound to a customer, not ${role} tokens`);
  const parsed = customerIdRules.safeParse(customerId);
  if (!parsed.success) {
    throw new Error(`API_TOKENS: the customer id of a client:<customerId> token ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  }
  return Object.freeze({ role, customerId: parsed.data });
}

/** Parses `token=role` and `token=client:<customerId>` entries, separated by commas. */
export function parseApiTokens(raw: string | undefined): Map<string, TokenGrant> {
  const tokens = new Map<string, TokenGrant>();
  if (!raw) return tokens;
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = TOKEN_ENTRY.exec(entry);
    if (!match) {
      throw new Error(`API_TOKENS entries must look like token=role or token=client:<customerId>, with role in ${ROLES.join('|')}`);
    }
    const [, token, role, customerId] = match as unknown as [string, string, Role, string | undefined];
    if (token.length < 16) throw new Error('API_TOKENS: each token needs at least 16 characters');
    tokens.set(token, parseGrant(role, customerId));
  }
  return tokens;
}

function httpTimeouts(): HttpTimeouts {
  const defaults = DEFAULT_HTTP_TIMEOUTS;
  const requestTimeoutMs = int('HTTP_REQUEST_TIMEOUT_MS', defaults.requestTimeoutMs, 1);
  const headersTimeoutMs = int('HTTP_HEADERS_TIMEOUT_MS', Math.min(defaults.headersTimeoutMs, requestTimeoutMs), 1);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error(`HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return Object.freeze({ requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', defaults.keepAliveTimeoutMs, 1) });
}

/** `90s`, `1m`, `1h`, or `off`; one minute when unset. */
function archiveInterval(): number | null {
  const raw = process.env.OUTBOX_ARCHIVE_INTERVAL;
  if (raw === undefined || raw === '') return 60_000;
  if (raw === 'off') return null;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new Error(`OUTBOX_ARCHIVE_INTERVAL must be a duration such as 90s, 1m or 1h, or off; got "${raw}"`);
  return ms;
}

export function loadConfig(): AppConfig {
  return Object.freeze({
    httpHost: process.env.HTTP_HOST ?? '127.0.0.1',
    httpPort: int('PORT', 3000),
    taskQueue: process.env.TASK_QUEUE ?? 'order-projections',
    temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    searchIndexPrefix: process.env.SEARCH_INDEX_PREFIX ?? 'orders',
    temporalUiUrl: process.env.TEMPORAL_UI_URL || 'http://127.0.0.1:8233',
    relay: Object.freeze({
      maxBatchSize: int('RELAY_MAX_BATCH', 500, 1),
      maxOrdersPerBatch: int('RELAY_MAX_ORDERS_PER_BATCH', 50, 1),
      maxInFlight: int('RELAY_MAX_IN_FLIGHT', 4, 1),
      pollIntervalMs: int('RELAY_POLL_MS', 250, 10),
      lingerMs: int('RELAY_LINGER_MS', 250, 0),
      sweepIntervalMs: int('RELAY_SWEEP_INTERVAL_MS', 5_000, 10),
      sweepAgeMs: int('RELAY_SWEEP_AGE_MS', 5_000, 0),
    }),
    relayLeader: Object.freeze({
      retryMs: int('RELAY_LEADER_RETRY_MS', 1_000, 10),
      checkMs: int('RELAY_LEADER_CHECK_MS', 1_000, 10),
    }),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE || null,
    rebuild: Object.freeze({ chunkSize: int('REBUILD_CHUNK_SIZE', 1_000, 1), chunksPerRun: int('REBUILD_CHUNKS_PER_RUN', 200, 1) }),
    idempotencyRetentionMs: int('IDEMPOTENCY_RETENTION_HOURS', 24, 1) * 3_600_000,
    archiveIntervalMs: archiveInterval(),
    httpTimeouts: httpTimeouts(),
    apiTokens: parseApiTokens(process.env.API_TOKENS),
  });
}
