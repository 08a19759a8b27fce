import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { redriveFailedBatches, failedBatchQuery, type RedriveFilter } from './temporal/redrive.js';

const USAGE = `usage: npm run redrive -- (--order <orderId> | --read-model <name> | --query '<visibility query>') [--reason <text>] [--dry-run]
Resets every failed batch workflow that matches to its first workflow task.`;

function parseFilter(values: { order?: string; 'read-model'?: string; query?: string }): RedriveFilter {
  const given = [values.order, values['read-model'], values.query].filter((v) => v !== undefined);
  if (given.length !== 1) throw new Error('name exactly one of --order, --read-model, --query');
  if (values.order !== undefined) return { order: values.order };
  if (values['read-model'] !== undefined) return { readModel: values['read-model'] };
  return { query: values.query! };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      order: { type: 'string' }, 'read-model': { type: 'string' }, query: { type: 'string' },
      reason: { type: 'string', default: 'redrive after the cause was fixed' }, 'dry-run': { type: 'boolean', default: false },
    },
  });
  const filter = parseFilter(values);
  const query = failedBatchQuery(filter);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  try {
    console.log(`failed batches: ${query}`);
    if (values['dry-run']) {
      for await (const run of client.workflow.list({ query })) console.log(`would reset ${run.workflowId} (${run.runId})`);
      return 0;
    }
    const outcomes = await redriveFailedBatches(client, filter, values.reason);
    for (const o of outcomes) {
      console.log(o.newRunId ? `reset ${o.workflowId}: failed run ${o.failedRunId} -> new run ${o.newRunId}` : `skipped ${o.workflowId} (${o.failedRunId}): ${o.skipped}`);
    }
    console.log(`${outcomes.filter((o) => o.newRunId).length} batch(es) re-driven`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then((code) => process.exit(code), (error: Error) => {
  console.error(`redrive: ${error.message}`);
  console.error(USAGE);
  process.exit(2);
});
