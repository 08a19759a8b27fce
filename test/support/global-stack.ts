import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startStack, type StackEndpoints } from '../../src/stack/index.js';
import { bundlerOptions, workflowsPath } from '../../src/temporal/worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
    workflowBundle: string;
  }
}

/**
 * Starts (or reuses) real PostgreSQL, Temporal and OpenSearch once per run, and bundles the
 * workflow code once, so test files only create their own database, index and task queue.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startStack({ log: (line) => console.log(`[stack] ${line}`) });
  const bundle = await bundleWorkflowCode({ workflowsPath, ...bundlerOptions, logger: quietLogger });
  project.provide('stack', {
    databaseUrl: stack.databaseUrl,
    temporalAddress: stack.temporalAddress,
    temporalUiUrl: stack.temporalUiUrl,
    opensearchUrl: stack.opensearchUrl,
  });
  project.provide('workflowBundle', bundle.code);
  return () => stack.stop();
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
