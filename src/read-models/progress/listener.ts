import pg from 'pg';
import { PROGRESS_CHANNEL, decodeNotice } from './signal.js';
import { ProgressWaiters, type ProgressSubscription, type ProgressWaits } from './waiters.js';

export interface ProgressListenerOptions {
  databaseUrl: string;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * One LISTEN connection per process that wakes the readers waiting for a read model to reach
 * a version. While it is down, waits run to their deadline and re-read once there; each
 * (re)connection wakes every waiter, because notices sent in between are lost.
 */
export class ProgressListener implements ProgressWaits {
  private readonly waiters = new ProgressWaiters();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private listening = false;

  constructor(private readonly options: ProgressListenerOptions) {}

  subscribe(readModel: string, orderId: string): ProgressSubscription {
    this.start();
    return this.waiters.subscribe(readModel, orderId);
  }

  /** Whether notices are arriving now (false while connecting or after a lost connection). */
  get isListening(): boolean {
    return this.listening;
  }

  /** Connects unless already connected or connecting; failures retry with backoff. */
  start(): Promise<void> {
    if (this.closed || this.client || this.connecting) return this.connecting ?? Promise.resolve();
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
    this.waiters.wakeAll();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'read-model-progress-listener' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      const notice = decodeNotice(message.payload);
      if (notice) this.waiters.deliver(notice);
    });
    try {
      await client.connect();
      await client.query(`listen ${PROGRESS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      return this.retryLater(error as Error);
    }
    if (this.closed) return void (await client.end().catch(() => undefined));
    this.client = client;
    this.listening = true;
    this.retryMs = FIRST_RETRY_MS;
    this.waiters.wakeAll();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    this.waiters.wakeAll();
    void client.end().catch(() => undefined);
    this.retryLater(error ?? new Error('connection ended'));
  }

  private retryLater(error: Error): void {
    if (this.closed || this.retryTimer) return;
    this.options.log?.('read model progress listener down; reconnecting', { error: error.message, inMs: this.retryMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.start();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }
}
