import type http from 'node:http';
import { randomOrderBody } from '../commands/order-body.js';
import type { Tokens } from '../support/bench-runtime.js';
import { send } from '../support/http.js';
import { runOpenLoop as openLoop } from '../support/open-loop.js';

export interface LoadTarget {
  url: string;
  agent: http.Agent;
  tokens: Tokens;
  skus: string[];
  /** Told the customer's email of each order the moment its 201 arrives. */
  onPlaced?: (email: string) => void;
}

export interface LoadOutcome {
  /** Orders the schedule asked for, and those actually started (the rest: too many in flight). */
  scheduled: number;
  started: number;
  /** Orders that went through all four commands. */
  completed: number;
  /** Non-2xx answers and transport errors, by step and status ("pay 409", "place error"). */
  failures: Record<string, number>;
  /** POST round trips in ms: the commit happens inside them, so they bound commit time vs occurred_at. */
  commandMs: number[];
  /** When each command's answer arrived (epoch ms), by order and the version it made: the commit came before. */
  answers: CommandAnswer[];
}

export interface CommandAnswer {
  orderId: string;
  version: number;
  answeredAtMs: number;
}

/** Above this many unfinished orders the client would be measuring its own queue: it skips instead. */

type Step = 'place' | 'pay' | 'ship' | 'note';

/**
 * One order's life: placed, paid (the order's own total and provider), shipped (operator),
 * noted (support), each command right after the previous answer: four events per order.
 */
async function orderLife(target: LoadTarget, outcome: LoadOutcome): Promise<void> {
  const body = randomOrderBody(target.skus);
  const placed = await command(target, outcome, 'place', '/orders', target.tokens.client, body);
  if (!placed) return;
  target.onPlaced?.(body.customer.email);
  const { orderId, totalCents } = placed as { orderId: string; totalCents: number };
  outcome.answers.push({ orderId, version: 1, answeredAtMs: Date.now() });
  const steps: Array<[Step, string, string, unknown]> = [
    ['pay', 'payment-authorizations', target.tokens.client, { provider: body.paymentProvider, reference: `pi_${orderId.slice(0, 8)}`, amountCents: totalCents }],
    ['ship', 'shipments', target.tokens.operator, { carrier: 'ups', trackingNumber: `1Z${orderId.slice(0, 8)}` }],
    ['note', 'notes', target.tokens.support, { text: 'Bench note: customer asked about delivery.' }],
  ];
  // Nobody else writes these orders, so the n-th command makes version n + 1.
  for (const [n, [step, path, token, stepBody]] of steps.entries()) {
    if (!(await command(target, outcome, step, `/orders/${orderId}/${path}`, token, stepBody))) return;
    outcome.answers.push({ orderId, version: n + 2, answeredAtMs: Date.now() });
  }
  outcome.completed++;
}

async function command(target: LoadTarget, outcome: LoadOutcome, step: Step, path: string, token: string, body: unknown): Promise<unknown> {
  const began = performance.now();
  try {
    const answer = await send(target.url, target.agent, { method: 'POST', path, token, body });
    outcome.commandMs.push(performance.now() - began);
    if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.body) as unknown;
    count(outcome, `${step} ${answer.status}`);
  } catch {
    count(outcome, `${step} error`);
  }
  return undefined;
}

function count(outcome: LoadOutcome, key: string): void {
  outcome.failures[key] = (outcome.failures[key] ?? 0) + 1;
}

/**
 * Open loop: orders start on a fixed schedule (rate per second from the start), never waiting
 * for earlier ones, so a slow system sees the same arrivals as a fast one. Resolves when every
 * started order has finished.
 */
export async function runOpenLoop(target: LoadTarget, rate: number, durationMs: number): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { scheduled: 0, started: 0, completed: 0, failures: {}, commandMs: [], answers: [] };
  await openLoop(outcome, rate, durationMs, () => orderLife(target, outcome));
  return outcome;
}
