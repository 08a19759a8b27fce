import { setTimeout as sleep } from 'node:timers/promises';
import { readModels } from '../../src/read-models/registry.js';
import type { BenchRuntime } from '../support/bench-runtime.js';
import { BacklogSampler, type BacklogSample } from './backlog.js';
import { flatness, judge, type Flatness, type TrialPlan } from './holds.js';
import { runOpenLoop, type LoadOutcome, type LoadTarget } from './load.js';
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

/** One rate: warm-up + window of open-loop load, then the drain, then the ledger's account. */
export async function runTrial(bench: BenchRuntime, target: LoadTarget, plan: TrialPlan): Promise<TrialResult> {
  const origin = performance.now();
  const startedAt = Date.now();
  const sampler = await BacklogSampler.start(bench.database.url, readModels.map((m) => m.name), origin);
  let load: LoadOutcome;
  let drainMs: number | null;
  try {
    load = await runOpenLoop(target, plan.rate, (plan.warmupSeconds + plan.seconds) * 1_000);
    drainMs = await drain(sampler, plan.drainSeconds * 1_000);
  } finally {
    await sampler.stop();
  }
  const window = {
    from: new Date(startedAt + plan.warmupSeconds * 1_000),
    to: new Date(startedAt + (plan.warmupSeconds + plan.seconds) * 1_000),
  };
  const flat = flatness(sampler.samples, plan);
  const visibility = await measureVisibility(bench.database.url, readModels, window, load.answers);
  const verdict = judge(load, flat);
  return { plan, window, load, flatness: flat, drainMs, visibility, samples: sampler.samples, holds: verdict.length === 0, verdict };
}
