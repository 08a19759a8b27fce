import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBatch } from '../../src/relay/claim.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Eligibility waits for every older transaction on the server, other test files' included.
const claimSoon = (limit: number) =>
  eventually('a claimable batch', async () => (await claimBatch(database.db, 'test', limit)) ?? undefined);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function outboxRow(label: string) {
  return {
    event_id: randomUUID(),
    aggregate_type: 'order',
    aggregate_id: randomUUID(),
    aggregate_version: 1,
    event_type: 'OrderPlaced',
    payload: JSON.stringify({ label }),
    occurred_at: new Date(),
  };
}

describe('claiming outbox events', () => {
  it('waits for a transaction that committed late instead of skipping past its row', async () => {
    const early = outboxRow('early');
    const late = outboxRow('late');
    await database.db.connection().execute(async (slow) => {
      // The slow transaction takes its id (and its outbox row) first but commits last.
      await sql`begin`.execute(slow);
      await slow.insertInto('outbox_events').values(early).execute();
      await database.db.insertInto('outbox_events').values(late).execute();

      expect(await claimBatch(database.db, 'test', 100)).toBeNull();

      await sql`commit`.execute(slow);
    });
    // Another test's transaction may still hold `late` back for a moment, so the two can come
    // in one batch or in two; either way `early` is claimed first and nothing is skipped.
    const claimed: string[] = [];
    while (claimed.length < 2) claimed.push(...(await claimSoon(100)).events.map((e) => e.eventId));
    expect(claimed).toEqual([early.event_id, late.event_id]);
    expect(await claimBatch(database.db, 'test', 100)).toBeNull();
  });

  it('claims each event into exactly one batch, at most `limit` at a time', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => outboxRow(`e${i}`));
    await database.db.insertInto('outbox_events').values(rows).execute();
    const sizes: number[] = [];
    const claimed: string[] = [];
    while (claimed.length < rows.length) {
      const batch = await claimSoon(3);
      sizes.push(batch.events.length);
      claimed.push(...batch.events.map((e) => e.eventId));
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(claimed).toEqual(rows.map((r) => r.event_id));
  });
});
