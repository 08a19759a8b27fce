import pg from 'pg';

export interface ListenerOptions {
  databaseUrl: string;
  /** A plain identifier from code: it is not quoted. */
  channel: string;
  /** Called on every NOTIFY, and once after a reconnect (events may have committed meanwhile). */
  onNotify: () => void;
  log: (line: string, fields?: Record<string, unknown>) => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * One LISTEN connection, re-established with exponential backoff whenever it drops
 * (server restart, failover, a terminated backend), so the relay is never left on the
 * fallback poll for good.
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: ListenerOptions) {}

  /** Connects and listens; fails (without leaking the connection) when that fails. */
  async start(): Promise<void> {
    this.client = await this.connect();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener' });
    client.on('error', (error) => this.options.log('relay listener lost', { error: error.message }));
    client.on('notification', () => this.options.onNotify());
    try {
      await client.connect();
      await client.query(`listen ${this.options.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    client.once('end', () => this.lost(client));
    return client;
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.reconnectLater(1);
  }

  private reconnectLater(attempt: number): void {
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
    this.retry = setTimeout(() => void this.reconnect(attempt), delay);
    this.retry.unref();
  }

  private async reconnect(attempt: number): Promise<void> {
    try {
      const client = await this.connect();
      if (this.closed) return void (await client.end().catch(() => undefined));
      this.client = client;
      this.options.log('relay listener reconnected', { attempt });
      this.options.onNotify();
    } catch (error) {
      this.options.log('relay listener reconnect failed; retrying', { attempt, error: (error as Error).message });
      if (!this.closed) this.reconnectLater(attempt + 1);
    }
  }
}
