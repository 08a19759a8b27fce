import { DefaultLogger, Runtime as TemporalRuntime, bundleWorkflowCode } from '@temporalio/worker';
import { bundlerOptions, workflowsPath } from '../../src/temporal/worker.js';

let installed = false;
let bundle: Promise<{ code: string }> | undefined;

/** Temporal's routine chatter stays out of the bench output; warnings still show. */
export function quietTemporal(): void {
  if (installed) return;
  installed = true;
  TemporalRuntime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

/** Bundled once per process: run-all starts two runtimes and need not pay webpack twice. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger }).then((b) => ({ code: b.code }));
  return bundle;
}
