import type { SearchClient } from '../../search/client.js';

export const SUPPORT_INDEX_VERSION = 2;

/**
 * Support search reads and writes through an alias; the physical index name carries a
 * version so a mapping change can be built beside the old index and swapped in.
 */
export function supportSearchIndexNames(prefix: string): { alias: string; index: string } {
  return { alias: `${prefix}-support`, index: `${prefix}-support-v${SUPPORT_INDEX_VERSION}` };
}

const keyword = { type: 'keyword' } as const;

/** Explicit and strict: a field the mapping does not name is refused, never guessed. */
const mappings = {
  dynamic: 'strict',
  properties: {
    orderId: keyword,
    customerId: keyword,
    // Normalized: an email matches whatever its case (input is trimmed before it gets here).
    email: { type: 'keyword', normalizer: 'lowercase' },
    phone: keyword,
    phoneDigitsReversed: keyword,
    customerName: { type: 'keyword', index: false },
    status: keyword,
    paymentState: keyword,
    paymentProvider: keyword,
    refundState: keyword,
    shipmentCarrier: keyword,
    shipmentStatus: keyword,
    region: keyword,
    currency: keyword,
    totalCents: { type: 'long' },
    skus: keyword,
    riskFlags: keyword,
    openDispute: { type: 'boolean' },
    placedAt: { type: 'date' },
    notes: { type: 'text', index: false },
    // Already folded by the application (folding.ts); the standard analyzer splits and lower-cases it.
    searchText: { type: 'text', analyzer: 'standard' },
    sourceVersion: { type: 'long' },
    lastEventId: keyword,
    lastEventAt: { type: 'date' },
    projectedAt: { type: 'date' },
  },
} as const;

const settings = {
  number_of_shards: 1,
  number_of_replicas: 0,
  // Support agents expect a fresh order to be findable within a second.
  refresh_interval: '1s',
  analysis: { normalizer: { lowercase: { type: 'custom', filter: ['lowercase'] } } },
} as const;

/** Physical indices of the current version: the first one, and those rebuilds made (`-v2-r3`). */
export function isCurrentSupportIndex(prefix: string, name: string): boolean {
  const { index } = supportSearchIndexNames(prefix);
  return name === index || (name.startsWith(`${index}-r`) && /^\d+$/.test(name.slice(index.length + 2)));
}

/** The indices the alias points at; none when it is missing (its index was deleted). */
export async function indicesBehind(client: SearchClient, alias: string): Promise<string[]> {
  const response = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  return response.statusCode === 404 ? [] : Object.keys(response.body as Record<string, unknown>);
}

/**
 * Creates an index with the support mapping and, in the same request, the given aliases.
 * `refreshInterval` lets a rebuild skip refreshes while it fills the index.
 */
export async function createSupportIndex(client: SearchClient, index: string, options: { aliases?: string[]; refreshInterval?: string } = {}): Promise<void> {
  const aliases = Object.fromEntries((options.aliases ?? []).map((a) => [a, {}]));
  const indexSettings = options.refreshInterval ? { ...settings, refresh_interval: options.refreshInterval } : settings;
  await client.indices.create({ index, body: { settings: indexSettings, mappings, aliases } as never });
}

/** Makes a filled index searchable like a live one: the usual refresh interval, and refreshed now. */
export async function openForReads(client: SearchClient, index: string): Promise<void> {
  await client.indices.putSettings({ index, body: { index: { refresh_interval: settings.refresh_interval } } as never });
  await client.indices.refresh({ index });
}

async function createIndex(client: SearchClient, index: string): Promise<void> {
  const exists = await client.indices.exists({ index });
  if (exists.body) return;
  try {
    await createSupportIndex(client, index);
  } catch (error) {
    // Two processes starting at once may race to create it; the loser is fine.
    if (!String((error as Error).message).includes('resource_already_exists_exception')) throw error;
  }
}

/**
 * Creates the current versioned index when missing and points the alias at it, taking it off
 * any older version in the same request, so readers and writers switch at one instant. An
 * alias already on an index of the current version (a rebuilt `-v2-r3`) stays where it is.
 * Safe to call on every start, and from two processes at once.
 */
export async function ensureSupportSearchIndex(client: SearchClient, prefix: string): Promise<void> {
  const { alias, index } = supportSearchIndexNames(prefix);
  if ((await indicesBehind(client, alias)).some((name) => isCurrentSupportIndex(prefix, name))) return;
  await createIndex(client, index);
  await client.indices.updateAliases({
    body: {
      actions: [
        { remove: { index: `${prefix}-support-v*`, alias, must_exist: false } },
        { add: { index, alias } },
      ],
    } as never,
  });
}
