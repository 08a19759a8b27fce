import { Connection } from '@temporalio/client';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

/** Smoke test of what the global setup's startStack() hands to every integration file. */
describe('the stack', () => {
  const stack = inject('stack');

  it('serves the orders database', async () => {
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string }>('select current_database() as db');
      expect(rows[0]?.db).toBe('orders');
    } finally {
      await client.end();
    }
  });

  it('serves the default Temporal namespace', async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('serves a usable OpenSearch cluster', async () => {
    const response = await fetch(new URL('/_cluster/health', stack.opensearchUrl));
    const health = (await response.json()) as { status: string };
    expect(['green', 'yellow']).toContain(health.status);
  });
});
