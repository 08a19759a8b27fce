/**
 * The HTTP load generator, run as its own process (forked by api-load.ts) so that it does
 * not share an event loop with the API it measures. Receives one LoadPlan, answers with
 * one LoadResult, exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, send } from '../support/http.js';
import type { LoadResult } from './load-result.js';
import { randomOrderBody } from './order-body.js';

export interface LoadPlan {
  url: string;
  token: string;
  skus: string[];
  clients: number;
  warmupMs: number;
  measureMs: number;
}

export interface LoadReply {
  result?: LoadResult;
  error?: string;
}

/** Far above what 32 clients can do in 10 minutes: only a guard against a runaway loop. */
const MAX_REQUESTS_PER_CLIENT = 5_000_000;

function reason(error: unknown): string {
  return `error ${(error as { code?: string }).code ?? (error as Error).message ?? 'unknown'}`;
}

async function runClient(plan: LoadPlan, window: { start: number; end: number }, result: LoadResult, agent: ReturnType<typeof keepAliveAgent>) {
  for (let i = 0; i < MAX_REQUESTS_PER_CLIENT && performance.now() < window.end; i++) {
    const began = performance.now();
    let outcome: string;
    try {
      const answer = await send(plan.url, agent, { method: 'POST', path: '/orders', token: plan.token, body: randomOrderBody(plan.skus) });
      outcome = answer.status === 201 ? 'ok' : `HTTP ${answer.status}`;
    } catch (error) {
      outcome = reason(error);
      await sleep(10); // a refused connection must not turn into a busy loop
    }
    const ended = performance.now();
    if (ended < window.start || ended > window.end) continue; // completed in the warm-up or after the window
    if (outcome === 'ok') {
      result.succeeded += 1;
      result.latenciesMs.push(ended - began);
    } else {
      result.failures[outcome] = (result.failures[outcome] ?? 0) + 1;
    }
  }
}

export async function runLoad(plan: LoadPlan): Promise<LoadReply> {
  const agent = keepAliveAgent(Math.max(64, plan.clients * 2));
  const result: LoadResult = { label: 'API', windowSeconds: plan.measureMs / 1000, succeeded: 0, failures: {}, latenciesMs: [], notes: [] };
  const began = performance.now();
  const window = { start: began + plan.warmupMs, end: began + plan.warmupMs + plan.measureMs };
  await Promise.all(Array.from({ length: plan.clients }, () => runClient(plan, window, result, agent)));
  agent.destroy();
  return { result };
}

process.once('message', (plan: LoadPlan) => {
  runLoad(plan)
    .catch((error: unknown): LoadReply => ({ error: error instanceof Error ? error.message : String(error) }))
    .then((reply) => process.send!(reply, () => process.exit(0)));
});
