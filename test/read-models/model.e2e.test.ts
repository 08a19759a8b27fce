import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/config.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { waitForCatchUp } from '../../src/read-models/verify/catch-up.js';
import { allFindings, verifyReadModels } from '../../src/read-models/verify/run.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

/** How often each command is drawn: paying and shipping often enough that later commands are not all refused. */
const WEIGHTS = {
  pay: 5, payWrongAmount: 1, decline: 2, ship: 4, inTransit: 2, delivered: 2, lost: 1, cancel: 1, cancelBySupport: 1,
  refund: 3, note: 2, openDispute: 2, resolveUpheld: 1, resolveRejected: 2, flag: 2,
} as const;
type Action = keyof typeof WEIGHTS;
const actions = fc.oneof(...Object.entries(WEIGHTS).map(([action, weight]) => ({ arbitrary: fc.constant(action as Action), weight })));

interface Step {
  action: Action;
  /** Picks amounts and texts, so a run is fully described by its plan. */
  n: number;
}

interface PlacedOrder {
  id: string;
  totalCents: number;
  disputeIds: string[];
}

type Request = { role: Role; path: string; body: unknown };

function requestFor(step: Step, order: PlacedOrder): Request {
  const at = (suffix: string) => `/orders/${order.id}/${suffix}`;
  const payment = (amountCents: number, outcome?: 'declined') =>
    ({ provider: 'stripe', reference: `pi_${step.n}`, amountCents, ...(outcome ? { outcome, reason: 'card declined' } : {}) });
  const dispute = order.disputeIds.at(-1) ?? '00000000-0000-4000-8000-000000000000';
  const requests: Record<Action, Request> = {
    pay: { role: 'client', path: at('payment-authorizations'), body: payment(order.totalCents) },
    payWrongAmount: { role: 'client', path: at('payment-authorizations'), body: payment(order.totalCents + 1) },
    decline: { role: 'client', path: at('payment-authorizations'), body: payment(order.totalCents, 'declined') },
    ship: { role: 'operator', path: at('shipments'), body: { carrier: 'DHL', trackingNumber: `TRK-${step.n}` } },
    inTransit: { role: 'operator', path: at('shipment-events'), body: { status: 'in_transit' } },
    delivered: { role: 'operator', path: at('shipment-events'), body: { status: 'delivered' } },
    lost: { role: 'operator', path: at('shipment-events'), body: { status: 'lost' } },
    cancel: { role: 'client', path: at('cancellation'), body: { reason: 'changed my mind' } },
    cancelBySupport: { role: 'support', path: at('cancellation'), body: { reason: 'fraud suspected' } },
    refund: { role: 'support', path: at('refunds'), body: { amountCents: 1 + (step.n % order.totalCents), reason: 'damaged' } },
    note: { role: 'support', path: at('notes'), body: { text: `note ${step.n}` } },
    openDispute: { role: 'support', path: at('disputes'), body: { reason: 'not received' } },
    resolveUpheld: { role: 'support', path: at(`disputes/${dispute}/resolution`), body: { outcome: 'upheld', comment: 'chargeback' } },
    resolveRejected: { role: 'support', path: at(`disputes/${dispute}/resolution`), body: { outcome: 'rejected', comment: 'delivered' } },
    flag: { role: 'support', path: at('risk-flags'), body: { flag: `flag-${step.n % 3}`, reason: 'pattern' } },
  };
  return requests[step.action];
}

/** Runs one command; a refusal by the order rules is part of the model (it writes no event). */
async function run(step: Step, order: PlacedOrder): Promise<boolean> {
  const { role, path, body } = requestFor(step, order);
  const response = await call(runtime.url, 'POST', path, { role, body });
  if (response.status >= 500) throw new Error(`${step.action} answered ${response.status}: ${JSON.stringify(response.body)}`);
  if (step.action === 'openDispute' && response.status === 200) order.disputeIds.push(response.body.createdId as string);
  return response.status === 200;
}

async function place(sku: string, quantity: number): Promise<PlacedOrder> {
  const placed = await call(runtime.url, 'POST', '/orders', { body: orderBody([{ sku, quantity }]) });
  if (placed.status !== 201) throw new Error(`place order answered ${placed.status}`);
  return { id: placed.body.orderId as string, totalCents: placed.body.totalCents as number, disputeIds: [] };
}

/** Where a command sits in an order's usual life; notes and risk flags fit anywhere. */
const LIFECYCLE: Record<Action, number> = {
  decline: 0, payWrongAmount: 0, pay: 1, openDispute: 2, resolveUpheld: 3, resolveRejected: 3, refund: 3,
  ship: 4, inTransit: 5, delivered: 6, lost: 6, cancel: 7, cancelBySupport: 7, note: -1, flag: -1,
};
const rank = (step: Step) => (LIFECYCLE[step.action] >= 0 ? LIFECYCLE[step.action] : step.n % 8);

/**
 * One order's plan: random commands. Half of the plans get a payment and are put in the order
 * of an order's usual life, so histories get deep (disputed, shipped, delivered, refunded);
 * the others run as drawn, mostly refused.
 */
const orderPlan = fc.record({
  quantity: fc.integer({ min: 1, max: 3 }),
  lifelike: fc.boolean(),
  steps: fc.array(fc.record({ action: actions, n: fc.nat({ max: 1_000_000 }) }), { minLength: 2, maxLength: 10 }),
}).map(({ quantity, lifelike, steps }) => ({
  quantity,
  steps: lifelike ? [{ action: 'pay' as const, n: 0 }, ...steps].sort((a, b) => rank(a) - rank(b)) : steps,
}));

it('leaves every read model equal to a fresh fold of the log, whatever commands ran', async () => {
  const sku = await createProduct(runtime.url, { priceCents: 2_500, stock: 10_000 });
  const accepted = new Map<Action, number>();
  await fc.assert(fc.asyncProperty(fc.array(orderPlan, { minLength: 8, maxLength: 12 }), async (plans) => {
    const orders = await Promise.all(plans.map((plan) => place(sku, plan.quantity)));
    // Orders run side by side (the relay sees concurrent commits), each order's steps in turn.
    await Promise.all(plans.map(async (plan, i) => {
      for (const step of plan.steps) if (await run(step, orders[i]!)) accepted.set(step.action, (accepted.get(step.action) ?? 0) + 1);
    }));

    await waitForCatchUp(runtime.db, readModelNames(), 45_000);
    const verification = await verifyReadModels({ db: runtime.db, search: runtime.search, searchIndexPrefix: runtime.searchIndexPrefix });

    expect(allFindings(verification)).toEqual([]);
    expect(verification.results.map((r) => r.name)).toEqual(['write-model', ...readModelNames()]);
  }), { numRuns: 3, endOnFailure: true });
  // The runs reached deep into the order rules: a model test over refusals only would prove little.
  expect([...accepted.keys()]).toEqual(expect.arrayContaining(['pay', 'ship', 'refund', 'note', 'flag']));
}, 180_000);
