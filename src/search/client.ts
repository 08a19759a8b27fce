import { Client } from '@opensearch-project/opensearch';

export type SearchClient = Client;

export function createSearchClient(url: string): SearchClient {
  return new Client({ node: url, requestTimeout: 15_000, maxRetries: 2 });
}
