import { describe, expect, it } from 'vitest';
import { InFlightLimiter } from '../../src/relay/in-flight.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InFlightLimiter', () => {
  it('admits up to the cap and lets the next one in when a slot frees', async () => {
    const limiter = new InFlightLimiter(2, 60_000);
    await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);

    const done = deferred();
    limiter.release(done.promise);
    done.resolve();
    await waiting;
    expect(third).toBe(true);
    expect(limiter.inFlight).toBe(2);
  });

  it('frees a slot after its timeout even if the work never finishes', async () => {
    const limiter = new InFlightLimiter(1, 20);
    await limiter.acquire();
    limiter.release(new Promise(() => undefined));
    await limiter.acquire(); // would hang without the timeout
    expect(limiter.inFlight).toBe(1);
  });

  it('frees the slot when the work fails', async () => {
    const limiter = new InFlightLimiter(1, 60_000);
    await limiter.acquire();
    const failed = Promise.reject(new Error('workflow failed'));
    limiter.release(failed);
    await failed.catch(() => undefined);
    await limiter.acquire();
    expect(limiter.inFlight).toBe(1);
  });
});

describe('InFlightLimiter on shutdown', () => {
  it('lets a waiter through when drained, even while every slot is busy', async () => {
    const limiter = new InFlightLimiter(1, 60_000);
    await limiter.acquire();
    limiter.release(new Promise(() => undefined)); // a slot that would stay busy for a minute
    const waiting = limiter.acquire().then(() => 'through');
    limiter.drain();
    const deadline = new Promise((resolve) => setTimeout(resolve, 2_000, 'still waiting'));
    expect(await Promise.race([waiting, deadline])).toBe('through');
  });
});
