import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEADER_LOCK_KEY, LeaderRelay, type LedRelay } from '../../src/relay/leader.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
const electors: LeaderRelay[] = [];

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(electors.splice(0).map((elector) => elector.stop()));
  await database.drop();
});

/** A stand-in relay that records whether it runs and what its leadership fence says. */
class RecordingRelay implements LedRelay {
  running = false;
  constructor(readonly isLeader: () => boolean) {}
  async start() {
    this.running = true;
  }
  async stop() {
    this.running = false;
  }
}

function elector(relays: RecordingRelay[]): LeaderRelay {
  const created = new LeaderRelay({
    databaseUrl: database.url, retryMs: 100, checkMs: 100, log: () => undefined,
    createRelay: (isLeader) => {
      const relay = new RecordingRelay(isLeader);
      relays.push(relay);
      return relay;
    },
  });
  electors.push(created);
  return created;
}

async function terminateLockHolder(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `select pg_terminate_backend(pid) from pg_locks
        where locktype = 'advisory' and objid::bigint = $1 and granted and database = (select oid from pg_database where datname = current_database())`,
      [LEADER_LOCK_KEY],
    );
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe('relay leader election', () => {
  it('runs one relay at a time; a follower takes over when the leader stops', async () => {
    const firstRelays: RecordingRelay[] = [];
    const secondRelays: RecordingRelay[] = [];
    const first = elector(firstRelays);
    const second = elector(secondRelays);
    await first.start();
    await second.start();
    expect([first.leading, second.leading]).toEqual([true, false]);
    expect(secondRelays).toHaveLength(0);

    await first.stop();
    expect(firstRelays[0]!.running).toBe(false);
    await eventually('the follower leads', async () => second.leading, 5_000);
    expect(secondRelays[0]!.running).toBe(true);
  });

  it('stops leading, and fences its relay, when its lock connection is lost; the follower takes over', async () => {
    const firstRelays: RecordingRelay[] = [];
    const secondRelays: RecordingRelay[] = [];
    const first = elector(firstRelays);
    const second = elector(secondRelays);
    await first.start();
    await second.start();
    const led = firstRelays[0]!;
    expect(led.isLeader()).toBe(true);

    expect(await terminateLockHolder()).toBe(1);
    await eventually('the old leader steps down', async () => !first.leading && !led.running, 5_000);
    expect(led.isLeader()).toBe(false);
    await eventually('the follower leads', async () => second.leading, 5_000);
    expect(secondRelays.filter((relay) => relay.running)).toHaveLength(1);
    // The old leader, now a follower, does not take the lock back while the new one holds it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([first.leading, second.leading]).toEqual([false, true]);
    expect(firstRelays.filter((relay) => relay.running)).toHaveLength(0);
  });
});
