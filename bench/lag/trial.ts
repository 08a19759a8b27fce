import { setTimeout as sleep } from 'node:timers/promises';
import { readModels } from '../../src/read-models/registry.js';
import type { BenchRuntime } from '../support/bench-runtime.js';
import { BacklogSampler, type BacklogSample } from './backlog.js';
import { flatness, judge, type Flatness, type TrialPlan } from './holds.js';
import { runOpenLoop, type LoadOutcome, type LoadTarget } from './load.js';
import { SearchSampler, type SearchSighting } from './search-sample.js';
import { measureVisibility, type ModelVisibility, type Window } from './visibility.js';

export interface TrialResult {
  plan: TrialPlan;
  window: Window;
  load: LoadOutcome;
  flatness: Flatness;
  /** After the load: how long until every model held every event; null = not within --drain. */
  drainMs: number | null;
  visibility: ModelVisibility[];
  /** The backlog once a second, from the start of the load to the end of the drain. */
  samples: BacklogSample[];
  /** Orders of the window watched through the support search (empty when not watched). */
  searchSightings: SearchSighting[];
  holds: boolean;
  /** Why it does not hold, in words; empty when it holds. */
  verdict: string[];
}

const DRAIN_POLL_MS = 250;

async function drain(sampler: BacklogSampler, deadlineMs: number): Promise<number | null> {
  const began = performance.now();
  while (performance.now() - began <= deadlineMs) {
    if ((await sampler.now()).backlog === 0) return performance.now() - began;
    await sleep(DRAIN_POLL_MS);
  }
  return null;
}

/** Watches orders through the support search only where that model is registered. */
function searchSampler(target: LoadTarget, plan: TrialPlan): SearchSampler | null {
  const registered = readModels.some((m) => m.name === 'support-search');
  return registered && plan.searchEvery > 0 ? new SearchSampler(target, plan.searchEvery) : null;
}

function windowOf(startedAt: number, plan: TrialPlan): Window {
  return {
    from: new Date(startedAt + plan.warmupSeconds * 1_000),
    to: new Date(startedAt + (plan.warmupSeconds + plan.seconds) * 1_000),
  };
}

/** One rate: warm-up + window of open-loop load, then the drain, then the ledger's account. */
export async function runTrial(bench: BenchRuntime, target: LoadTarget, plan: TrialPlan): Promise<TrialResult> {
  const origin = performance.now();
  const startedAt = Date.now();
  const backlog = await BacklogSampler.start(bench.database.url, readModels.map((m) => m.name), origin);
  const search = searchSampler(target, plan);
  let load: LoadOutcome;
  let drainMs: number | null;
  try {
    load = await runOpenLoop({ ...target, onPlaced: search ? (email) => search.onPlaced(email) : undefined }, plan.rate, (plan.warmupSeconds + plan.seconds) * 1_000);
    drainMs = await drain(backlog, plan.drainSeconds * 1_000);
    await search?.settle();
  } finally {
    await backlog.stop();
  }
  const window = windowOf(startedAt, plan);
  const flat = flatness(backlog.samples, plan);
  const visibility = await measureVisibility(bench.database.url, readModels, window, load.answers);
  const inWindow = (s: SearchSighting) => s.answeredAtMs >= window.from.getTime() && s.answeredAtMs < window.to.getTime();
  const verdict = judge(load, flat);
  return {
    plan, window, load, flatness: flat, drainMs, visibility, samples: backlog.samples,
    searchSightings: (search?.sightings ?? []).filter(inWindow), holds: verdict.length === 0, verdict,
  };
}
