import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import { claimBatch, hasClaimableEvents, markDispatched, readOutboxId, undispatchedBatches, type ClaimedBatch } from './claim.js';
import { dispatchBatch } from './dispatch.js';
import { InFlightLimiter } from './in-flight.js';
import { WakeSignal } from './wake-signal.js';

export interface RelayOptions {
  db: Db;
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  maxBatchSize: number;
  maxInFlight: number;
  pollIntervalMs: number;
  /** Pause after a busy batch so the next one is larger (see `BUSY_BATCH`). */
  lingerMs: number;
  log: (line: string, fields?: Record<string, unknown>) => void;
}

const ERROR_BACKOFF_MS = 1_000;
const IN_FLIGHT_SLOT_TIMEOUT_MS = 10_000;
/**
 * A claim this large means events arrive faster than one per dispatch. Each workflow costs the
 * Temporal server a fixed amount of work, so the relay then waits `lingerMs` to let the next
 * batch fill up; below it (an idle or quiet system) it claims again at once, for latency.
 */
const BUSY_BATCH = 10;

/**
 * Moves committed outbox events into Temporal: claim a batch, start its workflow, mark it
 * dispatched. Wakes on NOTIFY from the outbox trigger and polls as a fallback.
 */
export class OutboxRelay {
  private loop: Promise<void> | null = null;
  private listener: pg.Client | null = null;
  private readonly signal = new WakeSignal();
  private readonly limiter: InFlightLimiter;
  private recoverPending = true;
  private outboxId = '';
  private readonly stopped = new AbortController();

  constructor(private readonly options: RelayOptions) {
    this.limiter = new InFlightLimiter(options.maxInFlight, IN_FLIGHT_SLOT_TIMEOUT_MS);
  }

  private get running(): boolean {
    return !this.stopped.signal.aborted;
  }

  async start(): Promise<void> {
    this.outboxId = await readOutboxId(this.options.db);
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    this.signal.wake();
    this.limiter.drain();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  private async listen(): Promise<void> {
    const listener = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener' });
    // A lost LISTEN connection only costs latency: the poll keeps the relay moving.
    listener.on('error', (error) => this.options.log('relay listener lost', { error: error.message }));
    listener.on('notification', () => this.signal.wake());
    await listener.connect();
    await listener.query('listen outbox_events');
    this.listener = listener;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.recoverPending) await this.recover();
        await this.limiter.acquire();
        if (!this.running) break;
        const batch = await this.claim().catch((error) => {
          this.limiter.release(Promise.resolve());
          throw error;
        });
        if (batch) {
          await this.dispatch(batch);
          if (batch.events.length >= BUSY_BATCH) await this.linger();
        } else {
          this.limiter.release(Promise.resolve());
          await this.signal.sleep(this.options.pollIntervalMs);
        }
      } catch (error) {
        this.recoverPending = true;
        this.options.log('relay iteration failed; retrying', { error: (error as Error).message });
        await this.signal.sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  private async claim(): Promise<ClaimedBatch | null> {
    if (!(await hasClaimableEvents(this.options.db))) return null;
    return claimBatch(this.options.db, this.outboxId, this.options.maxBatchSize);
  }

  private async linger(): Promise<void> {
    await sleep(this.options.lingerMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private async dispatch(batch: ClaimedBatch): Promise<void> {
    let result: Promise<unknown> = Promise.resolve();
    try {
      const handle = await dispatchBatch(this.options.temporal, this.options.taskQueue, batch);
      await markDispatched(this.options.db, batch.batchId);
      result = handle.result().catch((error: Error) => {
        // Its history in the Temporal UI holds the details; the log points there.
        this.options.log('batch workflow failed', { workflowId: batch.workflowId, error: error.message });
      });
    } finally {
      this.limiter.release(result);
    }
  }

  /** Re-dispatches batches claimed earlier but never confirmed as started. */
  private async recover(): Promise<void> {
    for (const batch of await undispatchedBatches(this.options.db, this.outboxId, 100)) {
      await this.limiter.acquire();
      await this.dispatch(batch);
    }
    this.recoverPending = false;
  }
}
