import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import { recordClaimedBatch, recordDispatchFailure } from '../metrics/relay-metrics.js';
import { BatchIdentityMismatchError } from './batch-identity.js';
import { flagUndispatchable, markCompleted } from './batches.js';
import { crashPoint } from '../processes/crash-point.js';
import { claimBatch, hasClaimableEvents, markDispatched, readOutboxId, type ClaimedBatch } from './claim.js';
import { dispatchBatch, type BatchWorkflowHandle } from './dispatch.js';
import { InFlightLimiter } from './in-flight.js';
import { isRefusedStart } from './refused-start.js';
import { NotificationListener } from './listener.js';
import { restampFutureTxIds } from './restamp.js';
import { ensureBatchSearchAttributes } from '../temporal/search-attributes.js';
import { sweepBatches, type SweepContext } from './sweep.js';
import { WakeSignal } from './wake-signal.js';

export interface RelayOptions {
  db: Db;
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  maxBatchSize: number;
  /** Most distinct orders in one batch (see `claimBatch`). */
  maxOrdersPerBatch: number;
  maxInFlight: number;
  pollIntervalMs: number;
  /** Pause after a busy batch so the next one is larger (see `BUSY_BATCH`). */
  lingerMs: number;
  /** How often to look for batches nobody is moving (see `sweepBatches`). */
  sweepIntervalMs: number;
  /** How old such a batch must be, so that the sweep never races a live relay's own dispatch. */
  sweepAgeMs: number;
  /** Longest a batch holds its in-flight slot, and the relay waits for its outcome. */
  slotTimeoutMs?: number;
  /** Checked before each sweep and claim: a relay that lost its leadership stops moving batches at once. */
  isLeader?: () => boolean;
  log: (line: string, fields?: Record<string, unknown>) => void;
}

const ERROR_BACKOFF_MS = 1_000;
const IN_FLIGHT_SLOT_TIMEOUT_MS = 10_000;
/** How far past the slot's own timer the gRPC deadline of its outcome wait lies (see followOutcome). */
const OUTCOME_DEADLINE_SLACK_MS = 5_000;
/**
 * A claim this large means events arrive faster than one per dispatch. Each workflow costs the
 * Temporal server a fixed amount of work, so the relay then waits `lingerMs` to let the next
 * batch fill up; below it (an idle or quiet system) it claims again at once, for latency.
 */
const BUSY_BATCH = 10;

/**
 * Moves committed outbox events into Temporal: claim a batch, start its workflow, mark it
 * dispatched, record when it completes. Wakes on NOTIFY from the outbox trigger, polls as a
 * fallback, and sweeps periodically for batches nobody is moving.
 */
export class OutboxRelay {
  private loop: Promise<void> | null = null;
  private listener: NotificationListener | null = null;
  private readonly signal = new WakeSignal();
  private readonly limiter: InFlightLimiter;
  private readonly slotTimeoutMs: number;
  /** 0 sweeps at once; the first sweep also takes batches of any age (ours, from before a restart). */
  private nextSweepAt = 0;
  private swept = false;
  private outboxId = '';
  private readonly stopped = new AbortController();
  private readonly outcomes = new Set<Promise<void>>();

  constructor(private readonly options: RelayOptions) {
    this.slotTimeoutMs = options.slotTimeoutMs ?? IN_FLIGHT_SLOT_TIMEOUT_MS;
    this.limiter = new InFlightLimiter(options.maxInFlight, this.slotTimeoutMs);
  }

  private get running(): boolean {
    return !this.stopped.signal.aborted;
  }

  private get leading(): boolean {
    return this.options.isLeader?.() ?? true;
  }

  /** Workflows whose outcome the relay is waiting for: never more than `maxInFlight`. */
  get awaitedOutcomes(): number {
    return this.outcomes.size;
  }

  async start(): Promise<void> {
    const { db, log, temporal } = this.options;
    // Dispatch sets them, so they must exist before the first batch starts.
    await ensureBatchSearchAttributes(temporal.connection, temporal.options.namespace, log);
    this.outboxId = await readOutboxId(db);
    const restamped = await restampFutureTxIds(db);
    if (restamped > 0) log('outbox rows with transaction ids ahead of this server re-stamped', { rows: restamped });
    const listener = new NotificationListener({
      databaseUrl: this.options.databaseUrl, channel: 'outbox_events', log, onNotify: () => this.signal.wake(),
    });
    await listener.start();
    this.listener = listener;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    this.signal.wake();
    this.limiter.drain();
    await this.loop;
    await this.listener?.stop();
    this.listener = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.leading) {
          await this.signal.sleep(this.options.pollIntervalMs);
          continue;
        }
        if (Date.now() >= this.nextSweepAt) await this.sweep();
        await this.limiter.acquire();
        if (!this.running) break;
        if (!this.leading) {
          this.limiter.release(Promise.resolve());
          continue;
        }
        const batch = await this.claim().catch((error) => {
          this.limiter.release(Promise.resolve());
          throw error;
        });
        if (batch) {
          crashPoint('relay:after-claim-before-start');
          await this.dispatch(batch);
          if (batch.events.length >= BUSY_BATCH) await this.linger();
        } else {
          this.limiter.release(Promise.resolve());
          await this.signal.sleep(Math.max(0, Math.min(this.options.pollIntervalMs, this.nextSweepAt - Date.now())));
        }
      } catch (error) {
        this.nextSweepAt = 0;
        this.options.log('relay iteration failed; retrying', { error: (error as Error).message });
        await this.signal.sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  private async claim(): Promise<ClaimedBatch | null> {
    if (!(await hasClaimableEvents(this.options.db))) return null;
    const batch = await claimBatch(this.options.db, this.outboxId, this.options.maxBatchSize, this.options.maxOrdersPerBatch);
    if (batch) recordClaimedBatch(batch.events.length);
    return batch;
  }

  private async linger(): Promise<void> {
    await sleep(this.options.lingerMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private async dispatch(batch: ClaimedBatch): Promise<void> {
    let outcome: Promise<void> = Promise.resolve();
    try {
      const handle = await dispatchBatch(this.options.temporal, this.options.taskQueue, batch);
      crashPoint('relay:after-start-before-record');
      await markDispatched(this.options.db, batch.batchId);
      outcome = this.followOutcome(batch, handle);
    } catch (error) {
      recordDispatchFailure(error);
      if (error instanceof BatchIdentityMismatchError) await this.flag(error);
      else if (isRefusedStart(error)) await this.flagRefused(batch, error);
      else throw error;
    } finally {
      this.limiter.release(outcome);
    }
  }

  /**
   * Records the batch's completion if its workflow finishes while it holds its slot. The wait
   * ends with the slot, so batches stuck retrying against a store that is down never pile up
   * open long-polls; the sweep records their completion later.
   *
   * The slot's own timer ends the wait, by aborting the long-poll in flight. A gRPC deadline
   * only backs it up, set past the timer: in the last second before a deadline, Temporal
   * answers each history long-poll at once with "not closed yet" and `result()` asks again,
   * hundreds of calls per slot. stop() aborts the wait too and does not wait for the rest.
   */
  private followOutcome(batch: ClaimedBatch, handle: BatchWorkflowHandle): Promise<void> {
    const { connection } = this.options.temporal;
    const slot = this.slotSignal(this.slotTimeoutMs);
    const outcome: Promise<void> = connection
      .withDeadline(Date.now() + this.slotTimeoutMs + OUTCOME_DEADLINE_SLACK_MS, () => connection.withAbortSignal(slot.signal, () => handle.result()))
      .then(() => this.completed(batch), (error) => this.unfinished(batch, error))
      .catch((error: Error) => this.options.log('recording a batch outcome failed', { batchId: batch.batchId, error: error.message }))
      .finally(() => {
        slot.release();
        this.outcomes.delete(outcome);
      });
    this.outcomes.add(outcome);
    return outcome;
  }

  /**
   * Every call Temporal's client makes under an abort signal adds an `abort` listener to it and
   * never removes it, and `result()` polls again each time a long-poll ends with the workflow
   * still open. Each slot therefore waits under its own signal, aborted after `timeoutMs` or by
   * stop(), whichever comes first; the relay's stop signal holds at most one listener per slot,
   * and a slot's own listeners go with it.
   */
  private slotSignal(timeoutMs: number): { signal: AbortSignal; release(): void } {
    const slot = new AbortController();
    // Its listeners live no longer than the slot (at most timeoutMs): no leak to warn about.
    setMaxListeners(0, slot.signal);
    const abort = () => slot.abort();
    const timer = setTimeout(abort, timeoutMs);
    this.stopped.signal.addEventListener('abort', abort, { once: true });
    return {
      signal: slot.signal,
      release: () => {
        clearTimeout(timer);
        this.stopped.signal.removeEventListener('abort', abort);
      },
    };
  }

  /** After stop, the database may be gone: the next relay's sweep records what this one missed. */
  private async completed(batch: ClaimedBatch): Promise<void> {
    if (this.running) await markCompleted(this.options.db, batch.batchId);
  }

  private async unfinished(batch: ClaimedBatch, error: unknown): Promise<void> {
    if (!(error instanceof WorkflowFailedError)) return; // the wait was cut off; the sweep takes over
    // Its history in the Temporal UI holds the details; the log points there.
    this.options.log('batch workflow failed', { workflowId: batch.workflowId, error: error.message });
    await this.completed(batch);
  }

  /**
   * Loud, and visible in outbox_batches.dispatch_error: the batch waits for an operator (who
   * raises the cluster's limit, then clears the error so that the sweep dispatches it), and
   * the relay goes on with the batches after it.
   */
  private async flagRefused(batch: ClaimedBatch, error: Error): Promise<void> {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    const reason = `Temporal refused to start the batch workflow: ${cause}`;
    this.options.log('batch not dispatched: Temporal refused its start', { batchId: batch.batchId, workflowId: batch.workflowId, error: reason });
    await flagUndispatchable(this.options.db, batch.batchId, reason);
  }

  /** Loud, and visible in outbox_batches.dispatch_error: the batch is neither dispatched nor dropped. */
  private async flag(error: BatchIdentityMismatchError): Promise<void> {
    const { batchId, workflowId } = error.batch;
    this.options.log('batch not dispatched: its workflow id belongs to another batch', { batchId, workflowId, error: error.message });
    await flagUndispatchable(this.options.db, batchId, error.message);
  }

  private async sweep(): Promise<void> {
    const context: SweepContext = {
      db: this.options.db, temporal: this.options.temporal, outboxId: this.outboxId, log: this.options.log,
      dispatch: async (batch) => {
        await this.limiter.acquire();
        if (this.running) await this.dispatch(batch);
      },
      flag: (error) => this.flag(error),
    };
    await sweepBatches(context, this.swept ? this.options.sweepAgeMs : 0);
    this.swept = true;
    this.nextSweepAt = Date.now() + this.options.sweepIntervalMs;
  }
}
