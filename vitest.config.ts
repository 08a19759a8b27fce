import { defineConfig } from 'vitest/config';

/**
 * Two tiers: `unit` is pure and fast; `integration` (one real service, or HTTP through the
 * whole pipeline) shares one set of real services started by the global setup, and each
 * test file gets its own database, index prefix and task queue so files run in parallel.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // The JSON report lets CI print one plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Integration files mostly wait on the services; three at a time suits two cores.
    poolOptions: { forks: { minForks: 1, maxForks: 3 } },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          // Property tests run hundreds of cases: on two busy cores they can pass 5 s.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'],
          globalSetup: ['test/support/global-stack.ts'],
          setupFiles: ['test/support/quiet-temporal.ts'],
          // Every relay a test starts would leave an archive schedule behind in the shared
          // Temporal; the archive tests turn it on for their own runtime.
          env: { OUTBOX_ARCHIVE_INTERVAL: 'off' },
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
