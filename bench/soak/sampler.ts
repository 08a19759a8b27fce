import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openDescriptors, type SoakPart } from './parts.js';

export interface ProcessSample {
  rssMb: number;
  /** null until the process printed its first probe reading. */
  heapUsedMb: number | null;
  activeResources: number | null;
  fds: number;
  sockets: number;
}

export interface SoakSample {
  /** Seconds since the load started. */
  atSeconds: number;
  /** Every event committed so far, archived or not (the whole log). */
  committed: number;
  /** Rows still in outbox_events: what the archive schedule has not moved to event_log yet. */
  outboxRows: number;
  /** Committed events no batch claimed yet: owed to every model. */
  unclaimed: number;
  /** Per read model: events claimed into a batch that its ledger does not hold yet. */
  claimedNotApplied: Record<string, number>;
  /** Per read model: unclaimed + claimed-not-applied, what it still owes. */
  backlog: Record<string, number>;
  /** Connections to the soak's database, by application_name (the sampler's own left out). */
  pgConnections: Record<string, number>;
  processes: Record<string, ProcessSample>;
}

const SAMPLER_APP = 'soak-sampler';
const MB = 2 ** 20;

const OUTBOX_SQL = `
  select (select count(*)::int from outbox_log_events) as committed,
    (select count(*)::int from outbox_events) as outbox_rows,
    (select count(*)::int from outbox_events where batch_id is null) as unclaimed,
    (select json_object_agg(projection, n) from
      (select projection, count(*)::int as n from processed_projection_events group by projection) l) as ledger`;

const CONNECTIONS_SQL = `
  select coalesce(nullif(application_name, ''), backend_type) as app, count(*)::int as n
  from pg_stat_activity where datname = current_database() and application_name <> $1 group by 1`;

async function outbox(client: pg.Client, models: readonly string[]) {
  const { committed, outbox_rows: outboxRows, unclaimed, ledger } = (await client.query<{ committed: number; outbox_rows: number; unclaimed: number; ledger: Record<string, number> | null }>(OUTBOX_SQL)).rows[0]!;
  const claimedNotApplied = Object.fromEntries(models.map((m) => [m, Math.max(0, committed - unclaimed - (ledger?.[m] ?? 0))]));
  const backlog = Object.fromEntries(models.map((m) => [m, unclaimed + claimedNotApplied[m]!]));
  return { committed, outboxRows, unclaimed, claimedNotApplied, backlog };
}

async function processSample(part: SoakPart): Promise<ProcessSample> {
  const probe = part.latest();
  const { fds, sockets } = await openDescriptors(part.pid);
  const rss = await residentBytes(part.pid);
  return {
    rssMb: (rss ?? probe?.rssBytes ?? Number.NaN) / MB,
    heapUsedMb: probe ? probe.heapUsedBytes / MB : null,
    activeResources: probe?.activeResources ?? null,
    fds, sockets,
  };
}

/** VmRSS from /proc, read at the moment of the sample (the probe's is up to one interval old). */
async function residentBytes(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** Samples outbox, connections and processes every `everyMs` on its own connection until stopped. */
export class SoakSampler {
  readonly samples: SoakSample[] = [];
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  private constructor(private readonly client: pg.Client, private readonly models: readonly string[], private readonly parts: readonly SoakPart[]) {}

  static async start(databaseUrl: string, models: readonly string[], parts: readonly SoakPart[], everyMs: number, origin: number): Promise<SoakSampler> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: SAMPLER_APP });
    await client.connect();
    const sampler = new SoakSampler(client, models, parts);
    sampler.loop = sampler.run(everyMs, origin);
    return sampler;
  }

  async take(atSeconds: number): Promise<SoakSample> {
    const connections = (await this.client.query<{ app: string; n: number }>(CONNECTIONS_SQL, [SAMPLER_APP])).rows;
    const processes: Record<string, ProcessSample> = {};
    for (const part of this.parts) processes[part.name] = await processSample(part);
    return { atSeconds, ...(await outbox(this.client, this.models)), pgConnections: Object.fromEntries(connections.map((c) => [c.app, c.n])), processes };
  }

  private async run(everyMs: number, origin: number): Promise<void> {
    let next = origin + everyMs;
    while (!this.stopped) {
      await sleep(Math.max(0, next - performance.now()), undefined, { signal: this.abort.signal }).catch(() => undefined);
      if (this.stopped) break;
      this.samples.push(await this.take((performance.now() - origin) / 1_000));
      next += everyMs;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
    await this.client.end();
  }
}
