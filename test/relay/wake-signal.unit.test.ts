import { describe, expect, it } from 'vitest';
import { WakeSignal } from '../../src/relay/wake-signal.js';

describe('WakeSignal', () => {
  it('ends a sleep as soon as it is woken', async () => {
    const signal = new WakeSignal();
    const began = performance.now();
    const sleeping = signal.sleep(60_000);
    signal.wake();
    await sleeping;
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  it('remembers a wake that came while nobody slept, once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    await signal.sleep(60_000); // returns at once: the wake was pending
    let slept = false;
    const second = signal.sleep(20).then(() => (slept = true));
    await Promise.resolve();
    expect(slept).toBe(false); // the pending wake was used up by the first sleep
    await second;
    expect(slept).toBe(true);
  });
});
