import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { decodeNotice, encodeNotice, MAX_IDS_PER_NOTICE } from '../../src/read-models/progress/signal.js';
import { ProgressWaiters } from '../../src/read-models/progress/waiters.js';

const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('progress notices', () => {
  it('list the orders while they fit in a NOTIFY payload, and name only the model past that', () => {
    const listed = ids(MAX_IDS_PER_NOTICE);
    const full = encodeNotice('order-status', listed);
    expect(Buffer.byteLength(full)).toBeLessThan(8_000);
    expect(decodeNotice(full)).toEqual({ readModel: 'order-status', orderIds: listed });
    expect(decodeNotice(encodeNotice('order-status', ids(MAX_IDS_PER_NOTICE + 1)))).toEqual({ readModel: 'order-status' });
  });

  it('ignore payloads they did not write', () => {
    for (const payload of ['', 'not json', '{}', '{"m":3}', undefined]) expect(decodeNotice(payload)).toBeUndefined();
  });
});

describe('progress waiters', () => {
  it('wake the waiters of the named order only, and remember a wake that came between two waits', async () => {
    const waiters = new ProgressWaiters();
    const [mine, other] = [randomUUID(), randomUUID()];
    const subscription = waiters.subscribe('order-status', mine);
    waiters.deliver({ readModel: 'order-status', orderIds: [other] });
    waiters.deliver({ readModel: 'agent-timeline', orderIds: [mine] });
    expect(await subscription.next(performance.now() + 20)).toBe(false);
    waiters.deliver({ readModel: 'order-status', orderIds: [mine] });
    expect(await subscription.next(performance.now() + 60_000)).toBe(true);
    subscription.close();
    expect(waiters.size).toBe(0);
  });

  it('wake every waiter of a model for a notice without ids', async () => {
    const waiters = new ProgressWaiters();
    const subscriptions = [waiters.subscribe('order-status', randomUUID()), waiters.subscribe('order-status', randomUUID())];
    const woken = Promise.all(subscriptions.map((s) => s.next(performance.now() + 60_000)));
    waiters.deliver({ readModel: 'order-status' });
    expect(await woken).toEqual([true, true]);
  });
});
