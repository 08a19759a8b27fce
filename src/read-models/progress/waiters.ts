import { performance } from 'node:perf_hooks';
import type { ProgressNotice } from './signal.js';

/** A reader waiting for one order of one read model to move forward. */
export interface ProgressSubscription {
  /**
   * Resolves true when progress of the order (or of the whole model) was announced since the
   * last call, false once `deadline` (a `performance.now()` instant) has passed. A notice
   * that arrives between two calls is remembered, so the next call returns at once.
   */
  next(deadline: number): Promise<boolean>;
  close(): void;
}

/** Where readers subscribe to a read model's progress. */
export interface ProgressWaits {
  subscribe(readModel: string, orderId: string): ProgressSubscription;
}

class Waiter implements ProgressSubscription {
  private pending = false;
  private endWait: (() => void) | null = null;

  constructor(readonly readModel: string, readonly orderId: string, private readonly onClose: (waiter: Waiter) => void) {}

  wake(): void {
    this.pending = true;
    this.endWait?.();
  }

  async next(deadline: number): Promise<boolean> {
    // Timers have millisecond granularity and may fire a fraction early: sleep out the rest.
    while (!this.pending && performance.now() < deadline) await this.sleepUntil(deadline);
    const woken = this.pending;
    this.pending = false;
    return woken;
  }

  private sleepUntil(deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endWait?.(), Math.max(0, Math.ceil(deadline - performance.now())));
      this.endWait = () => {
        clearTimeout(timer);
        this.endWait = null;
        resolve();
      };
    });
  }

  close(): void {
    this.onClose(this);
  }
}

const keyOf = (readModel: string, orderId: string) => `${readModel}\u0000${orderId}`;

/**
 * The waiting readers of one process, by model and order. Nothing here polls: a waiter
 * sleeps until a notice names its order (or its whole model), `wakeAll()` or its deadline.
 * On its own (no listener feeding it) every wait simply runs to its deadline.
 */
export class ProgressWaiters implements ProgressWaits {
  private readonly byOrder = new Map<string, Set<Waiter>>();

  subscribe(readModel: string, orderId: string): ProgressSubscription {
    const key = keyOf(readModel, orderId);
    const waiter = new Waiter(readModel, orderId, (w) => this.remove(key, w));
    const set = this.byOrder.get(key) ?? new Set<Waiter>();
    set.add(waiter);
    this.byOrder.set(key, set);
    return waiter;
  }

  deliver(notice: ProgressNotice): void {
    if (!notice.orderIds) return this.wakeWhere((w) => w.readModel === notice.readModel);
    for (const orderId of notice.orderIds) {
      for (const waiter of this.byOrder.get(keyOf(notice.readModel, orderId)) ?? []) waiter.wake();
    }
  }

  /** Notices may have been missed (a lost connection): every waiter re-reads its row. */
  wakeAll(): void {
    this.wakeWhere(() => true);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byOrder.values()) n += set.size;
    return n;
  }

  private wakeWhere(match: (waiter: Waiter) => boolean): void {
    for (const set of this.byOrder.values()) {
      for (const waiter of set) if (match(waiter)) waiter.wake();
    }
  }

  private remove(key: string, waiter: Waiter): void {
    const set = this.byOrder.get(key);
    set?.delete(waiter);
    if (set?.size === 0) this.byOrder.delete(key);
  }
}
