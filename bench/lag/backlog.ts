import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface BacklogSample {
  /** ms since the load started. */
  atMs: number;
  /** Committed outbox events. */
  committed: number;
  /** Per read model: committed events its ledger does not hold yet (unclaimed, or claimed and not applied). */
  behind: Record<string, number>;
  /** The slowest model's backlog: what the outbox still owes the read side. */
  backlog: number;
}

const SAMPLE_MS = 1_000;

/**
 * The ledger holds one row per (model, event) for every event the model was given, handled or
 * not, so committed minus ledger rows is exactly that model's share of the backlog.
 */
async function sample(client: pg.Client, models: readonly string[], atMs: number): Promise<BacklogSample> {
  const { rows } = await client.query<{ committed: number; ledger: Record<string, number> | null }>(`
    select (select count(*)::int from outbox_log_events) as committed,
      (select json_object_agg(projection, n) from
        (select projection, count(*)::int as n from processed_projection_events group by projection) l) as ledger`);
  const { committed, ledger } = rows[0]!;
  const behind = Object.fromEntries(models.map((m) => [m, committed - (ledger?.[m] ?? 0)]));
  return { atMs, committed, behind, backlog: Math.max(0, ...Object.values(behind)) };
}

/** Samples the backlog once a second on its own connection until stopped. */
export class BacklogSampler {
  readonly samples: BacklogSample[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly models: readonly string[],
    private readonly origin: number,
  ) {}

  static async start(databaseUrl: string, models: readonly string[], origin: number): Promise<BacklogSampler> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-lag-backlog' });
    await client.connect();
    const sampler = new BacklogSampler(client, models, origin);
    sampler.loop = sampler.run();
    return sampler;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const began = performance.now();
      this.samples.push(await sample(this.client, this.models, began - this.origin));
      await sleep(Math.max(0, SAMPLE_MS - (performance.now() - began)));
    }
  }

  /** The newest sample, taken now. */
  async now(): Promise<BacklogSample> {
    return sample(this.client, this.models, performance.now() - this.origin);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.client.end();
  }
}
