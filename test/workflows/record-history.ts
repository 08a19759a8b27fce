import { writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { decodedPayloads, historiesDir, historyToFileText, personalDataKeys, readHistoryText } from './history-files.js';

/**
 * `npm run record-history -- <workflowId> [name] [runId]`: fetches a finished workflow's
 * history from Temporal (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`) into
 * `test/workflows/histories/<name>.json`, where the replay test picks it up. Without a run id
 * it takes the latest run; a run id picks an earlier one (a run that continued as new).
 * Refuses a history whose payloads hold personal data.
 */
async function main([workflowId, name = workflowId, runId]: string[]): Promise<void> {
  if (!workflowId || !name || !/^[\w.-]+$/.test(name)) throw new Error('usage: npm run record-history -- <workflowId> [name: letters, digits, . _ -] [runId]');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const text = historyToFileText(history);
    const leaked = decodedPayloads(readHistoryText(text)).flatMap(personalDataKeys);
    if (leaked.length > 0) throw new Error(`the history holds personal data (${[...new Set(leaked)].join(', ')}); not recorded`);
    const file = new URL(`${name}.json`, historiesDir);
    writeFileSync(file, text);
    console.log(`recorded ${history.events?.length ?? 0} events of ${workflowId}${runId ? ` run ${runId}` : ''} into test/workflows/histories/${name}.json`);
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
