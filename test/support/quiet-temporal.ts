import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log their routine state changes at INFO; keep test output to warnings.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process (a previous file in the same worker): nothing to do.
}
