import { randomOrderBody } from '../commands/order-body.js';
import type { CommandAnswer, LoadTarget } from '../lag/load.js';
import { send } from '../support/http.js';
import { runOpenLoop } from '../support/open-loop.js';

/** One command of an order's life: its path under /orders/{id}, the role that sends it, its body. */
interface Step {
  name: string;
  path: string;
  role: 'client' | 'support' | 'operator';
  body: (order: { orderId: string; totalCents: number }) => unknown;
}

const pay = (outcome: 'approved' | 'declined'): Step => ({
  name: outcome === 'approved' ? 'authorize' : 'decline', path: 'payment-authorizations', role: 'client',
  body: (o) => ({ provider: 'stripe', reference: `pi_${o.orderId.slice(0, 8)}`, amountCents: o.totalCents, outcome, ...(outcome === 'declined' ? { reason: 'insufficient_funds' } : {}) }),
});
const ship: Step = { name: 'ship', path: 'shipments', role: 'operator', body: (o) => ({ carrier: 'ups', trackingNumber: `1Z${o.orderId.slice(0, 8)}` }) };
const carrier = (status: 'in_transit' | 'delivered'): Step => ({ name: status, path: 'shipment-events', role: 'operator', body: () => ({ status }) });
const cancel: Step = { name: 'cancel', path: 'cancellation', role: 'client', body: () => ({ reason: 'changed my mind' }) };
const refund: Step = { name: 'refund', path: 'refunds', role: 'support', body: (o) => ({ amountCents: Math.max(1, Math.floor(o.totalCents / 4)), reason: 'damaged box' }) };
const note: Step = { name: 'note', path: 'notes', role: 'support', body: () => ({ text: 'Customer asked about delivery.' }) };

/**
 * The paths an order takes after it is placed, with their share of the orders. Every command
 * is valid in the state it meets, so every non-2xx answer is an error, never an expected refusal.
 */
export const PATHS: ReadonlyArray<{ share: number; steps: readonly Step[] }> = [
  { share: 0.45, steps: [pay('approved'), ship, carrier('in_transit'), carrier('delivered')] },
  { share: 0.15, steps: [pay('approved'), ship, carrier('delivered'), refund, note] },
  { share: 0.1, steps: [pay('declined'), pay('approved'), ship, carrier('delivered')] },
  { share: 0.1, steps: [pay('approved'), cancel] },
  { share: 0.1, steps: [cancel] },
  { share: 0.1, steps: [pay('approved'), note, ship, carrier('in_transit'), carrier('delivered')] },
];

/** Events per order on average: the place plus one per step (every accepted command makes one event). */
export const EVENTS_PER_ORDER = PATHS.reduce((sum, p) => sum + p.share * (1 + p.steps.length), 0);

function pickPath(random: number): readonly Step[] {
  let left = random;
  for (const path of PATHS) {
    if ((left -= path.share) < 0) return path.steps;
  }
  return PATHS.at(-1)!.steps;
}

export interface LifecycleOutcome {
  scheduled: number;
  started: number;
  completed: number;
  /** Every command that did not get a 2xx: by step and status ("ship 503", "place timeout", "place network"). */
  errors: Record<string, number>;
  commands: number;
  answers: CommandAnswer[];
}


async function command(target: LoadTarget, outcome: LifecycleOutcome, name: string, path: string, role: Step['role'], body: unknown): Promise<unknown> {
  outcome.commands++;
  try {
    const answer = await send(target.url, target.agent, { method: 'POST', path, token: target.tokens[role], body });
    if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.body) as unknown;
    tally(outcome, `${name} ${answer.status}`);
  } catch (error) {
    // The client gives up after 30 s (support/http.ts): under contention the command may still have committed.
    tally(outcome, `${name} ${/timed out/.test((error as Error).message) ? 'timeout' : 'network'}`);
  }
  return undefined;
}

function tally(outcome: LifecycleOutcome, key: string): void {
  outcome.errors[key] = (outcome.errors[key] ?? 0) + 1;
}

async function orderLife(target: LoadTarget, outcome: LifecycleOutcome): Promise<void> {
  const placed = await command(target, outcome, 'place', '/orders', 'client', randomOrderBody(target.skus));
  if (!placed) return;
  const order = placed as { orderId: string; totalCents: number };
  outcome.answers.push({ orderId: order.orderId, version: 1, answeredAtMs: Date.now() });
  // Nobody else writes these orders, so the n-th accepted command makes version n + 1.
  for (const [n, step] of pickPath(Math.random()).entries()) {
    if (!(await command(target, outcome, step.name, `/orders/${order.orderId}/${step.path}`, step.role, step.body(order)))) return;
    outcome.answers.push({ orderId: order.orderId, version: n + 2, answeredAtMs: Date.now() });
  }
  outcome.completed++;
}

/**
 * Open loop, as bench:lag: orders start on a fixed schedule whatever the answers, so a slow
 * system sees the same arrivals as a fast one. `stopped()` ends the schedule early.
 */
export async function runLifecycles(target: LoadTarget, rate: number, durationMs: number, stopped: () => boolean): Promise<LifecycleOutcome> {
  const outcome: LifecycleOutcome = { scheduled: 0, started: 0, completed: 0, errors: {}, commands: 0, answers: [] };
  await runOpenLoop(outcome, rate, durationMs, () => orderLife(target, outcome), stopped);
  return outcome;
}
