import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { StoredOrderEvent } from '../../../src/outbox/envelope.js';
import type { ReadModelDeps } from '../../../src/read-models/read-model.js';
import { supportSearch } from '../../../src/read-models/support-search/index.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from '../../../src/read-models/support-search/storage.js';
import { foldLog } from '../../../src/read-models/verify/fold.js';
import { createSearchClient, type SearchClient } from '../../../src/search/client.js';
import { authorizeInFull, flagRisk, orderWithEvents, type FollowUp } from '../../support/order-events.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../../support/test-database.js';

let search: SearchClient;
let database: TestDatabase;
let deps: ReadModelDeps;

beforeAll(() => {
  search = createSearchClient(inject('stack').opensearchUrl);
});
afterAll(async () => {
  await search?.close();
});
// A database and an index prefix per test: verify() compares the whole log with the whole index.
beforeEach(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, search, searchIndexPrefix: uniqueName('p') };
  await supportSearch.ensureStorage!(deps);
});
afterEach(async () => {
  await search.indices.delete({ index: `${deps.searchIndexPrefix}-*` }).catch(() => undefined);
  await database?.drop();
});

const note = (text: string): FollowUp => ({ type: 'AddNote', at: new Date().toISOString(), noteId: randomUUID(), text, author: 'agent-7' });
const alias = () => supportSearchIndexNames(deps.searchIndexPrefix).alias;
const apply = (events: StoredOrderEvent[]) => supportSearch.apply(deps, events);

async function documentOf(orderId: string) {
  const response = await search.get({ index: alias(), id: orderId });
  return { version: response.body._version, source: response.body._source as Record<string, unknown> };
}

/** Placed (v1), a note (v2), paid (v3), a second note (v4), flagged (v5). */
function orderWithNotes(): Promise<StoredOrderEvent[]> {
  return orderWithEvents(deps.db, [note('Customer called about Zoë'), authorizeInFull(), note('parcel left at the door'), flagRisk()]);
}

function shuffled<T>(items: readonly T[]): T[] {
  return items.map((item) => ({ item, key: Math.random() })).sort((a, b) => a.key - b.key).map(({ item }) => item);
}

describe('support search documents and notes', () => {
  it('holds exactly the notes up to its version, however the batches arrive', async () => {
    const events = await orderWithNotes();
    const orderId = events[0]!.aggregateId;

    await apply([events[1]!]);
    const atNote = await documentOf(orderId);
    await apply([events[2]!, events[0]!]);
    const atPayment = await documentOf(orderId);
    for (const event of shuffled(events)) await apply([event]);
    await apply(events);

    expect(atNote).toMatchObject({ version: 2, source: { notes: ['Customer called about Zoë'] } });
    expect(atPayment).toMatchObject({ version: 3, source: { notes: ['Customer called about Zoë'], paymentState: 'authorized' } });
    expect(await documentOf(orderId)).toMatchObject({
      version: 5,
      source: { notes: ['Customer called about Zoë', 'parcel left at the door'], riskFlags: ['velocity'], sourceVersion: 5 },
    });
  });

  it('ends exactly as applying each event once in order would under overlapping concurrent batches, and verify finds nothing', async () => {
    const orders = await Promise.all([orderWithNotes(), orderWithNotes(), orderWithEvents(deps.db, [authorizeInFull()])]);
    const all = orders.flat();
    const batches = [all.slice(0, 8), all.slice(4, 12), shuffled(all), all.slice(10), all.slice(0, 3)];

    await Promise.all(batches.map((batch) => apply(batch)));
    await Promise.all(batches.map((batch) => apply(shuffled(batch))));

    const report = await supportSearch.verify!(deps, await foldLog(deps.db));
    expect(report).toEqual({ checked: 3, findings: [] });
  });
});

describe('verify on support search', () => {
  async function projectedOrder() {
    const events = await orderWithNotes();
    await apply(events);
    return { events, orderId: events[0]!.aggregateId };
  }
  const verify = async () => (await supportSearch.verify!(deps, await foldLog(deps.db))).findings;
  const put = (id: string, version: number, source: Record<string, unknown>) =>
    search.index({ index: alias(), id, body: source, version, version_type: 'external_gte', refresh: true } as never);

  it('reports a missing document', async () => {
    const { orderId } = await projectedOrder();
    await search.delete({ index: alias(), id: orderId, refresh: true });
    expect(await verify()).toEqual([{ orderId, problem: 'missing from the search index' }]);
  });

  it('reports a document the log does not know', async () => {
    const { orderId } = await projectedOrder();
    const stray = randomUUID();
    await put(stray, 1, (await documentOf(orderId)).source);
    expect(await verify()).toEqual([{ orderId: stray, problem: 'in the search index but not in the log' }]);
  });

  it('reports a lost note and a wrong field at the right version', async () => {
    const { orderId } = await projectedOrder();
    const { source } = await documentOf(orderId);
    await put(orderId, 5, { ...source, notes: ['parcel left at the door'], status: 'shipped' });
    expect(await verify()).toEqual([
      { orderId, problem: 'field status differs from the log' },
      { orderId, problem: 'field notes differs from the log' },
    ]);
  });

  it('reports a document left at an older version', async () => {
    const events = await orderWithNotes();
    const orderId = events[0]!.aggregateId;
    await apply(events.slice(0, 3));
    const findings = await verify();
    expect(findings).toContainEqual({ orderId, problem: 'document version 3, the log is at 5' });
    expect(findings).toContainEqual({ orderId, problem: 'field notes differs from the log' });
  });
});

describe('the versioned index behind the alias', () => {
  it('moves the alias from an older version to the current one in one step, and stays there on every start', async () => {
    const prefix = deps.searchIndexPrefix;
    const { alias: name, index } = supportSearchIndexNames(prefix);
    await search.indices.delete({ index });
    await search.indices.create({ index: `${prefix}-support-v1`, body: { aliases: { [name]: {} } } as never });

    await Promise.all([ensureSupportSearchIndex(search, prefix), ensureSupportSearchIndex(search, prefix)]);
    await ensureSupportSearchIndex(search, prefix);

    const aliases = await search.indices.getAlias({ name });
    expect(Object.keys(aliases.body)).toEqual([index]);
    expect(index).toBe(`${prefix}-support-v2`);
    expect((await search.indices.exists({ index: `${prefix}-support-v1` })).body).toBe(true);
  });

  it('never creates an index by writing: without the alias, applying fails and nothing appears', async () => {
    const events = await orderWithEvents(deps.db, []);
    await search.indices.delete({ index: supportSearchIndexNames(deps.searchIndexPrefix).index });

    await expect(apply(events)).rejects.toThrow(/index_not_found_exception/);
    expect((await search.indices.exists({ index: alias() })).body).toBe(false);
  });
});
