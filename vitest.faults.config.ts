import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`npm run test:faults`): every scenario starts the app's parts as
 * real processes on the shared services and crashes, stops or restarts them, so files run one
 * at a time (two cores) and have minutes, not seconds. `npm test` runs only the files listed
 * in test/faults/ci-half.ts, after the main suite.
 */
export default defineConfig({
  test: {
    include: ['test/faults/*.faults.test.ts'],
    // Its own JSON report, beside the main suite's test-results/vitest.json, for CI's closing lines.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-faults.json' },
    globalSetup: ['test/support/global-stack.ts'],
    setupFiles: ['test/support/quiet-temporal.ts'],
    // The relays the scenarios start would leave archive schedules behind in the shared Temporal.
    env: { OUTBOX_ARCHIVE_INTERVAL: 'off' },
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 1 } },
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
