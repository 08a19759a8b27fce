import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import { claimBatch, markDispatched, readOutboxId, undispatchedBatches, type ClaimedBatch } from './claim.js';
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
  log: (line: string, fields?: Record<string, unknown>) => void;
}

const ERROR_BACKOFF_MS = 1_000;
const IN_FLIGHT_SLOT_TIMEOUT_MS = 10_000;

/**
 * Moves committed outbox events into Temporal: claim a batch, start its workflow, mark it
 * dispatched. Wakes on NOTIFY from the outbox trigger and polls as a fallback.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private listener: pg.Client | null = null;
  private readonly signal = new WakeSignal();
  private readonly limiter: InFlightLimiter;
  private recoverPending = true;
  private outboxId = '';

  constructor(private readonly options: RelayOptions) {
    this.limiter = new InFlightLimiter(options.maxInFlight, IN_FLIGHT_SLOT_TIMEOUT_MS);
  }

  async start(): Promise<void> {
    this.running = true;
    this.outboxId = await readOutboxId(this.options.db);
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
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
        const batch = await claimBatch(this.options.db, this.outboxId, this.options.maxBatchSize).catch((error) => {
          this.limiter.release(Promise.resolve());
          throw error;
        });
        if (batch) {
          await this.dispatch(batch);
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
