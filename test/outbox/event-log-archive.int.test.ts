import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveChunk } from '../../src/outbox/archive.js';
import { loadEvents } from '../../src/outbox/load.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { foldLog } from '../../src/read-models/verify/fold.js';
import { markCompleted } from '../../src/relay/batches.js';
import { claimBatch, readOutboxId } from '../../src/relay/claim.js';
import { claimAll, writeRealisticLog } from '../support/realistic-log.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const MODELS = readModelNames();

async function logPositions(table: 'outbox_events' | 'event_log'): Promise<number[]> {
  const rows = await database.db.selectFrom(table).select('log_position').where('log_position', 'is not', null).orderBy('log_position').execute();
  return rows.map((r) => Number(r.log_position));
}

async function setCheckpoints(position: number, models: readonly string[] = MODELS): Promise<void> {
  await sql`insert into read_model_checkpoints (read_model, position)
    select name, ${position} from unnest(${sql.val([...models])}::text[]) name
    on conflict (read_model) do update set position = excluded.position`.execute(database.db);
}

async function batchIds(): Promise<number[]> {
  const rows = await database.db.selectFrom('outbox_batches').select('id').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('moving dispatched outbox rows into the event log', () => {
  it('moves only rows whose batch completed and that every read model has passed, and the whole log still reads the same', async () => {
    const { db } = database;
    await writeRealisticLog(db);
    await claimAll(db, 10);
    const all = await logPositions('outbox_events');
    const head = all.length;
    expect(all).toEqual(range(1, head));
    const before = await foldLog(db);
    const ids = await batchIds();

    // No checkpoint yet: nothing may move, however old the batches.
    for (const id of ids) await markCompleted(db, id);
    expect((await archiveChunk(db, MODELS, 1000)).moved).toBe(0);

    // Every model at the head but one at 15: only the first 15 move.
    await setCheckpoints(head);
    await setCheckpoints(15, [MODELS[2]!]);
    expect(await archiveChunk(db, MODELS, 1000)).toEqual({ moved: 15, bound: 15 });
    expect(await logPositions('event_log')).toEqual(range(1, 15));
    expect(await logPositions('outbox_events')).toEqual(range(16, head));

    // The last batch has not completed: its rows stay, the rest move in chunks of 7.
    await database.db.updateTable('outbox_batches').set({ completed_at: null }).where('id', '=', ids.at(-1)!).execute();
    await setCheckpoints(head);
    const lastBatch = await database.db.selectFrom('outbox_events').select('log_position').where('batch_id', '=', ids.at(-1)!).execute();
    const firstOfLast = Math.min(...lastBatch.map((r) => Number(r.log_position)));
    while ((await archiveChunk(db, MODELS, 7)).moved > 0);
    expect(await logPositions('event_log')).toEqual(range(1, firstOfLast - 1));
    expect(await logPositions('outbox_events')).toEqual(range(firstOfLast, head));

    await markCompleted(db, ids.at(-1)!);
    while ((await archiveChunk(db, MODELS, 7)).moved > 0);
    expect(await logPositions('outbox_events')).toEqual([]);
    expect(await logPositions('event_log')).toEqual(range(1, head));

    // Readers of the whole log find every event: the fold, and loading a batch's events by id.
    expect(await foldLog(db)).toEqual(before);
    const loaded = await loadEvents(db, before.events.map((e) => e.eventId));
    expect(loaded.map((e) => e.eventId).sort()).toEqual(before.events.map((e) => e.eventId).sort());
  });

  it('after the move, the relay claims only new events, numbered on from the head', async () => {
    const { db } = database;
    const head = (await logPositions('event_log')).length;
    expect(head).toBeGreaterThan(0);
    expect(await logPositions('outbox_events')).toEqual([]);

    await writeRealisticLog(db);
    const fresh = await database.db.selectFrom('outbox_events').select('event_id').execute();
    const claimed = (await claimAll(db, 500)).flat();
    expect(claimed.sort()).toEqual(fresh.map((r) => r.event_id).sort());
    expect(await logPositions('outbox_events')).toEqual(range(head + 1, head + fresh.length));
    expect(await claimBatch(db, await readOutboxId(db), 500)).toBeNull();
  });
});
