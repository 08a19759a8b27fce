import type { SearchClient } from '../../search/client.js';

/**
 * Support search reads and writes through an alias; the physical index name carries a
 * version so a mapping change can be rebuilt beside the old index and swapped in.
 */
export function supportSearchIndexNames(prefix: string): { alias: string; index: string } {
  return { alias: `${prefix}-support`, index: `${prefix}-support-v1` };
}

const mappings = {
  dynamic: 'strict',
  properties: {
    orderId: { type: 'keyword' },
    customerId: { type: 'keyword' },
    email: { type: 'keyword', normalizer: 'lowercase' },
    phone: { type: 'keyword' },
    customerName: { type: 'text' },
    status: { type: 'keyword' },
    paymentState: { type: 'keyword' },
    paymentProvider: { type: 'keyword' },
    refundState: { type: 'keyword' },
    shipmentCarrier: { type: 'keyword' },
    shipmentStatus: { type: 'keyword' },
    region: { type: 'keyword' },
    currency: { type: 'keyword' },
    totalCents: { type: 'long' },
    skus: { type: 'keyword' },
    riskFlags: { type: 'keyword' },
    openDispute: { type: 'boolean' },
    placedAt: { type: 'date' },
    sourceVersion: { type: 'long' },
    lastEventId: { type: 'keyword' },
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

/** Creates the versioned index and its alias when missing; safe to call on every start. */
export async function ensureSupportSearchIndex(client: SearchClient, prefix: string): Promise<void> {
  const { alias, index } = supportSearchIndexNames(prefix);
  const exists = await client.indices.exists({ index });
  if (!exists.body) {
    try {
      await client.indices.create({ index, body: { settings, mappings, aliases: { [alias]: {} } } as never });
    } catch (error) {
      // Two processes starting at once may race to create it; the loser is fine.
      if (!String((error as Error).message).includes('resource_already_exists_exception')) throw error;
    }
  }
}
