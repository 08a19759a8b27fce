import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely/migration';
import type { Db } from '../db/database.js';
import type { OrderEventType, OrderState } from '../domain/index.js';
import type { AppContext } from '../http/context.js';
import type { StoredOrderEvent } from '../outbox/envelope.js';
import type { SearchClient } from '../search/client.js';

/** What every read model may use; an OpenSearch model derives its own index names from the prefix. */
export interface ReadModelDeps {
  db: Db;
  search: SearchClient;
  searchIndexPrefix: string;
}

export interface ApplyOutcome {
  applied: number;
  skipped: number;
}

/**
 * One read model: the events it needs, how it applies them, where it keeps them and how it is
 * read. Adding a read model adds a folder exporting one of these and a line in the registry.
 */
export interface ReadModel {
  /** Stable: it names the model in the ledger, its checkpoint and the batch workflow's input. */
  name: string;
  /** Bumped when a change of its shape needs a rebuild. */
  version: number;
  store: 'postgres' | 'opensearch';
  /**
   * The PostgreSQL tables the model alone writes, by unqualified name: a rebuild fills empty
   * copies of them in a shadow schema and swaps them in. Without it a model cannot be rebuilt.
   */
  tables?: readonly string[];
  /** How an OpenSearch model is rebuilt: a new index beside the live one, swapped in by alias. */
  searchRebuild?: SearchRebuild;
  /**
   * True for a model that must see every event of an order, in order (a timeline, counters).
   * When one of its events is refused for good, the order is held: later events of that order
   * wait, unapplied, until the refused one is applied (after a fix and a reset), then follow
   * by themselves. A model that keeps the latest state (false, the default) relies on its
   * version guard and keeps applying later events.
   */
  needsEveryEvent?: boolean;
  /** Events of other types are recorded as processed without calling `apply`. */
  handles: readonly OrderEventType[] | 'all';
  /**
   * Applies events idempotently: batches overlap, repeat and arrive out of order, so each
   * event is decided on its own. Throwing retries the whole call.
   */
  apply(deps: ReadModelDeps, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome>;
  /** PostgreSQL storage: migrations named so they sort after the write model's. */
  migrations?: Record<string, Migration>;
  /** Storage that is not a migration (an OpenSearch index); safe to call on every start. */
  ensureStorage?(deps: ReadModelDeps): Promise<void>;
  /** Its HTTP routes; handlers stay thin and call the model's queries. */
  routes?(app: FastifyInstance, ctx: AppContext): void;
  /**
   * Compares what the model holds with a fresh fold of the outbox log (`npm run verify`).
   * Run once the model has caught up; every difference is a finding.
   */
  verify?(deps: ReadModelDeps, fold: LogFold): Promise<VerifyReport>;
}

/**
 * The OpenSearch side of a rebuild; the ledger, holds and checkpoint are shadowed in
 * PostgreSQL like any model's. Every step may run again after a crash.
 */
export interface SearchRebuild {
  /** Creates the empty index the replay fills, after deleting an abandoned one. */
  prepare(deps: ReadModelDeps): Promise<void>;
  /** Dependencies whose writes, through the model's own apply, land in that index. */
  shadowDeps(deps: ReadModelDeps): ReadModelDeps;
  /** Moves the live alias onto the filled index in one request; answers the indices it left. */
  swapAlias(deps: ReadModelDeps): Promise<string[]>;
  /** After the swap: deletes the indices the alias left, and the rebuild's own alias. */
  cleanUp(deps: ReadModelDeps, replaced: readonly string[]): Promise<void>;
}

/** The write truth, folded fresh from the outbox log. */
export interface LogFold {
  /** Every event, in log order (claimed events by log position, then unclaimed ones). */
  events: readonly StoredOrderEvent[];
  /** Each order's state after its newest event. */
  orders: ReadonlyMap<string, OrderState>;
}

/** One difference between a read model and the fold, e.g. a missing order or a wrong version. */
export interface VerifyFinding {
  orderId?: string;
  problem: string;
}

export interface VerifyReport {
  /** How many orders (or buckets) were compared. */
  checked: number;
  findings: VerifyFinding[];
}

export function handlesEvent(model: ReadModel, event: StoredOrderEvent): boolean {
  return model.handles === 'all' || model.handles.includes(event.type);
}
