import { describe, expect, it } from 'vitest';
import { waitFor } from '../../src/stack/wait.js';

describe('waitFor', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    const answers: Array<number | undefined | false> = [undefined, false, 0];
    const waiting = waitFor(async () => answers.shift(), { timeoutMs: 1000, intervalMs: 1, description: 'zero' });
    await expect(waiting).resolves.toBe(0);
  });

  it('keeps polling through errors', async () => {
    let calls = 0;
    const probe = async (): Promise<string> => {
      calls += 1;
      if (calls < 3) throw new Error('not yet');
      return 'ready';
    };
    await expect(waitFor(probe, { timeoutMs: 1000, intervalMs: 1, description: 'ready' })).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('names what it waited for and the last error when the deadline passes', async () => {
    const started = Date.now();
    const failing = waitFor(async () => Promise.reject(new Error('connection refused')), {
      timeoutMs: 120,
      intervalMs: 20,
      description: 'the widget service',
    });
    await expect(failing).rejects.toThrow(/widget service.*connection refused/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops early when its signal is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('server exited with code 1')), 30);
    const waiting = waitFor(async () => undefined, {
      timeoutMs: 10_000,
      intervalMs: 5_000,
      description: 'the server',
      signal: controller.signal,
    });
    await expect(waiting).rejects.toThrow(/the server: server exited with code 1/);
  });
});
