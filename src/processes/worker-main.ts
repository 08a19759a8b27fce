/** `npm run worker`: one projection worker; several share the task queue. */
import { readFile } from 'node:fs/promises';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { withMetricsEndpoint } from './metrics-endpoint.js';
import { runProcess } from './run-process.js';
import { startWorker } from './worker.js';

// Shutdown is ours (runProcess), not the SDK's own signal handler; routine chatter stays quiet.
TemporalRuntime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });

await runProcess('worker', async (endpoints, config, log) => {
  const workflowBundle = config.workflowBundlePath ? { code: await readFile(config.workflowBundlePath, 'utf8') } : undefined;
  return withMetricsEndpoint(config, log, () => startWorker({ ...endpoints, config, log, ...(workflowBundle ? { workflowBundle } : {}) }));
});
