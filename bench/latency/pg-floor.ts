import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { msUntil } from './poll.js';

/**
 * PostgreSQL's own floor: a row committed on one connection (autocommit insert), looked
 * for on another. Read committed sees it on the first select: this is one round trip.
 */
export class PgFloor {
  private constructor(
    private readonly writer: pg.Client,
    private readonly reader: pg.Client,
  ) {}

  static async open(databaseUrl: string): Promise<PgFloor> {
    const writer = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-floor-writer' });
    const reader = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-floor-reader' });
    await writer.connect();
    await reader.connect();
    await writer.query('create table if not exists bench_visibility (id uuid primary key, at timestamptz not null default now())');
    return new PgFloor(writer, reader);
  }

  async sample(deadlineMs: number): Promise<number | null> {
    const id = randomUUID();
    await this.writer.query('insert into bench_visibility (id) values ($1)', [id]);
    const committed = performance.now();
    const visible = async () => (await this.reader.query('select 1 from bench_visibility where id = $1', [id])).rowCount === 1;
    return msUntil(committed, visible, 1, deadlineMs);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.writer.end(), this.reader.end()]);
  }
}
