import { send } from '../support/http.js';
import { msUntil } from '../latency/poll.js';
import type { LoadTarget } from './load.js';

/** One watched order: when its 201 arrived (epoch ms) and how long until the search found it (null = never). */
export interface SearchSighting {
  answeredAtMs: number;
  visibleMs: number | null;
}

/** Slow enough that the watchers stay a small share of the load they measure. */
const POLL_MS = 50;
const DEADLINE_MS = 30_000;

/**
 * The ledger says when the `_bulk` succeeded, not when a search finds the document (the index
 * refreshes every second). This watches every n-th placed order through the API itself,
 * `GET /support/search?email=…` as support, from its 201 until it is found: a sampled check
 * of the bound the ledger gives.
 */
export class SearchSampler {
  readonly sightings: SearchSighting[] = [];
  private readonly watching: Array<Promise<void>> = [];
  private placed = 0;

  constructor(
    private readonly target: LoadTarget,
    private readonly every: number,
  ) {}

  /** Called for each order the moment its 201 arrives. */
  onPlaced(email: string): void {
    if (this.placed++ % this.every !== 0) return;
    const answeredAtMs = Date.now();
    const probe = async () => {
      const path = `/support/search?email=${encodeURIComponent(email)}`;
      const answer = await send(this.target.url, this.target.agent, { method: 'GET', path, token: this.target.tokens.support });
      return answer.status === 200 && (JSON.parse(answer.body) as { count: number }).count > 0;
    };
    const watch = msUntil(performance.now(), probe, POLL_MS, DEADLINE_MS)
      .catch(() => null)
      .then((visibleMs) => void this.sightings.push({ answeredAtMs, visibleMs }));
    this.watching.push(watch);
  }

  /** Waits for every watcher to find its order or give up. */
  async settle(): Promise<void> {
    await Promise.all(this.watching);
  }
}
