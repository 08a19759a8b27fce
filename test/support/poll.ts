import { waitFor } from '../../src/stack/wait.js';

/** Polls until `probe` returns a value, failing the test with `description` at the deadline. */
export function eventually<T>(description: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return waitFor(probe, { timeoutMs, intervalMs: 25, description });
}
