import { performance } from 'node:perf_hooks';
import type { ProgressWaits } from './waiters.js';

/** How long a reader may wait, and for which version of the order (none: for it to exist). */
export interface VersionWait {
  minVersion?: number | undefined;
  waitMs: number;
}

/** One row of a read model, by order, and how to read it again. */
export interface VersionedRow<Row> {
  readModel: string;
  orderId: string;
  read: () => Promise<Row | undefined>;
  versionOf: (row: Row) => number;
}

/** The row as found at the end (none when it never appeared); `stale` when below `minVersion`. */
export interface WaitResult<Row> {
  row: Row | undefined;
  stale: boolean;
}

/**
 * Reads the row, and while it is missing or older than `minVersion`, sleeps until the model
 * announces progress of this order, then reads again, never past `waitMs`. One read at the
 * start, one per wake-up, one at the deadline: no polling loop, and when the listener is down
 * the read at the deadline still answers with whatever is there by then.
 */
export async function waitForVersion<Row>(progress: ProgressWaits, target: VersionedRow<Row>, wait: VersionWait): Promise<WaitResult<Row>> {
  const wanted = wait.minVersion ?? 1;
  const reached = (row: Row | undefined) => row !== undefined && target.versionOf(row) >= wanted;
  const finish = (row: Row | undefined): WaitResult<Row> => ({ row, stale: row !== undefined && !reached(row) });
  if (wait.waitMs === 0) return finish(await target.read());
  const deadline = performance.now() + wait.waitMs;
  // Subscribed before the first read, so progress between that read and the sleep is not missed.
  const subscription = progress.subscribe(target.readModel, target.orderId);
  try {
    let row = await target.read();
    while (!reached(row)) {
      const woken = await subscription.next(deadline);
      row = await target.read();
      if (!woken) break;
    }
    return finish(row);
  } finally {
    subscription.close();
  }
}
