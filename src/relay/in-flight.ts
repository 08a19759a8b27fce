/**
 * Caps how many batch workflows run at once. While the cap is reached, new events
 * accumulate and the next claim takes them all: batches stay small when idle (latency)
 * and grow under load (throughput), without a tuning knob for the batch size itself.
 *
 * A slot is also freed after `slotTimeoutMs`, so one batch stuck retrying against a
 * failing store paces the relay but never stops it.
 */
export class InFlightLimiter {
  private active = 0;
  private waiters: Array<() => void> = [];
  private draining = false;

  constructor(
    private readonly max: number,
    private readonly slotTimeoutMs: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  async acquire(): Promise<void> {
    while (this.active >= this.max && !this.draining) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.active += 1;
  }

  /** Frees the slot when `done` settles or the timeout passes, whichever is first. */
  release(done: Promise<unknown>): void {
    let released = false;
    const free = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.active -= 1;
      this.waiters.shift()?.();
    };
    const timer = setTimeout(free, this.slotTimeoutMs);
    timer.unref();
    done.then(free, free);
  }

  /** Wakes every waiter and lets every later `acquire` through at once (used on shutdown). */
  drain(): void {
    this.draining = true;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
