import { randomUUID } from 'node:crypto';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import type { OrderSearchDocument } from '../../src/read-models/support-search/document.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { msUntil } from './poll.js';

const POLL_MS = 10;

function document(orderId: string, email: string): OrderSearchDocument {
  const now = new Date().toISOString();
  return {
    orderId, customerId: `cust-${orderId.slice(0, 8)}`, email, phone: '+14155550123', customerName: 'Bench Buyer',
    status: 'placed', paymentState: 'pending', paymentProvider: 'stripe', refundState: 'none',
    shipmentCarrier: null, shipmentStatus: null, region: 'eu-west', currency: 'USD', totalCents: 1000,
    skus: ['BENCH-0'], riskFlags: [], openDispute: false, placedAt: now,
    notes: [], phoneDigitsReversed: '32105555141', searchText: 'bench buyer',
    sourceVersion: 1, lastEventId: randomUUID(), lastEventAt: now, projectedAt: now,
  };
}

/**
 * OpenSearch's own near-real-time floor: a scratch index made by the app's own
 * ensureOrdersIndex (same settings, refresh_interval 1s, same mapping), one document
 * written the way the projection writes it (_bulk, external version), then a term
 * search on email polled until it finds it.
 */
export class SearchFloor {
  private constructor(
    private readonly client: SearchClient,
    private readonly prefix: string,
  ) {}

  static async open(opensearchUrl: string, prefix: string): Promise<SearchFloor> {
    const client = createSearchClient(opensearchUrl);
    await ensureSupportSearchIndex(client, prefix);
    return new SearchFloor(client, prefix);
  }

  private get alias(): string {
    return supportSearchIndexNames(this.prefix).alias;
  }

  async sample(deadlineMs: number): Promise<number | null> {
    const orderId = randomUUID();
    const email = `floor-${orderId.slice(0, 12)}@example.com`;
    const body = [{ index: { _index: this.alias, _id: orderId, version: 1, version_type: 'external' } }, document(orderId, email)];
    const response = await this.client.bulk({ body: body as never });
    const written = performance.now();
    if (response.body.errors) throw new Error('search floor: the bulk write failed');
    const visible = async () => {
      const found = await this.client.search({ index: this.alias, body: { query: { bool: { filter: [{ term: { email } }] } }, size: 1 } as never });
      return (found.body.hits.hits as unknown[]).length > 0;
    };
    return msUntil(written, visible, POLL_MS, deadlineMs);
  }

  async close(): Promise<void> {
    await this.client.indices.delete({ index: supportSearchIndexNames(this.prefix).index }).catch(() => undefined);
    await this.client.close();
  }
}
