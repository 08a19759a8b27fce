import pg from 'pg';
import { WakeSignal } from './wake-signal.js';

/** A relay that runs only while this process leads. */
export interface LedRelay {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaderRelayOptions {
  databaseUrl: string;
  /** How often a follower tries to take the lock. */
  retryMs: number;
  /** How often the leader checks that it still holds the lock. */
  checkMs: number;
  /** Builds the relay to run while leading; `isLeader` fences each of its claim rounds. */
  createRelay(isLeader: () => boolean): LedRelay;
  log: (line: string, fields?: Record<string, unknown>) => void;
}

/**
 * Distinct from the claim's own transaction-level key: the leader holds this one for its whole
 * session, and the claim's lock, taken from another connection, must still be grantable.
 */
export const LEADER_LOCK_KEY = 0x0cb0_1ead;

const HELD = `select exists (
  select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
    and classid = 0 and objid::bigint = $1 and objsubid = 1 and granted) as held`;

/**
 * Leader election for relays over one PostgreSQL session-level advisory lock. The lock lives as
 * long as the leader's dedicated connection: when the process dies or the connection drops,
 * PostgreSQL releases it and a follower, retrying every `retryMs`, takes over. The leader checks
 * its connection every `checkMs` and stops leading as soon as it fails, so two relays never
 * claim at once for longer than one check; the claim's transaction lock fences even that.
 */
export class LeaderRelay {
  private lockClient: pg.Client | null = null;
  private holdsLock = false;
  private relay: LedRelay | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private announcedFollowing = false;
  private readonly signal = new WakeSignal();

  constructor(private readonly options: LeaderRelayOptions) {}

  get leading(): boolean {
    return this.relay !== null && this.holdsLock;
  }

  /** The first attempt is awaited: a leader whose relay cannot start fails here, loudly. */
  async start(): Promise<void> {
    await this.tryToLead(true);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signal.wake();
    await this.loop;
    await this.stepDown('stopping');
    await this.releaseLock();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.signal.sleep(this.relay ? this.options.checkMs : this.options.retryMs);
      if (this.stopped) break;
      try {
        if (this.relay) await this.checkLeadership();
        else await this.tryToLead(false);
      } catch (error) {
        this.options.log('relay leader election failed; retrying', { error: (error as Error).message });
        await this.dropConnection();
      }
    }
  }

  private async tryToLead(failLoudly: boolean): Promise<void> {
    const client = this.lockClient ?? (await this.connect());
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [LEADER_LOCK_KEY]);
    if (rows[0]?.locked !== true) return this.follow();
    this.holdsLock = true;
    const relay = this.options.createRelay(() => this.holdsLock);
    try {
      await relay.start();
    } catch (error) {
      await this.releaseLock();
      if (failLoudly) throw error;
      this.options.log('relay could not start as leader; retrying', { error: (error as Error).message });
      return;
    }
    this.relay = relay;
    this.announcedFollowing = false;
    this.options.log('relay leading', { pid: process.pid });
  }

  private follow(): void {
    if (!this.announcedFollowing) this.options.log('relay following: another relay leads', { pid: process.pid });
    this.announcedFollowing = true;
  }

  private async checkLeadership(): Promise<void> {
    if (!(await this.stillHoldsLock())) await this.dropConnection();
    if (!this.holdsLock) await this.stepDown('lost the leader lock');
  }

  /** Asks the server, not our own flag: a failed or slow answer counts as lost. */
  private async stillHoldsLock(): Promise<boolean> {
    const client = this.lockClient;
    if (!client || !this.holdsLock) return false;
    try {
      const { rows } = await client.query<{ held: boolean }>(HELD, [LEADER_LOCK_KEY]);
      return rows[0]?.held === true;
    } catch {
      return false;
    }
  }

  private async stepDown(reason: string): Promise<void> {
    const relay = this.relay;
    if (!relay) return;
    this.relay = null;
    await relay.stop().catch((error: Error) => this.options.log('relay stop failed', { error: error.message }));
    this.options.log('relay stopped leading', { pid: process.pid, reason });
  }

  private async connect(): Promise<pg.Client> {
    const { checkMs } = this.options;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl, application_name: 'outbox-relay-leader',
      keepAlive: true, query_timeout: Math.max(2_000, 2 * checkMs), connectionTimeoutMillis: 5_000,
    });
    // A lost connection has lost the lock with it: stop fencing claims at once, not at the next check.
    const lost = () => this.lost(client);
    client.on('error', lost);
    client.once('end', lost);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.lockClient = client;
    return client;
  }

  private lost(client: pg.Client): void {
    if (this.lockClient !== client) return;
    this.lockClient = null;
    this.holdsLock = false;
    this.signal.wake();
  }

  /** Unlocks before closing, so a relay restarted in this process can lead again at once. */
  private async releaseLock(): Promise<void> {
    const client = this.lockClient;
    if (client && this.holdsLock) await client.query('select pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
    this.holdsLock = false;
    await this.dropConnection();
  }

  private async dropConnection(): Promise<void> {
    const client = this.lockClient;
    this.lockClient = null;
    this.holdsLock = false;
    await client?.end().catch(() => undefined);
  }
}
