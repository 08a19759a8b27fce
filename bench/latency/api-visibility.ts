import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Tokens } from '../support/bench-runtime.js';
import { send } from '../support/http.js';
import { msUntil } from './poll.js';

export interface ApiSample {
  /** POST /orders round trip (the commit happened inside it). */
  commandMs: number;
  /** From the 201 arriving to GET /orders/{id} answering 200; null = not within the deadline. */
  summaryMs: number | null;
  /** From the 201 arriving to the support search finding the order by email. */
  searchMs: number | null;
  /** The read model's own account: projectedAt - lastEventAt from the first 200. */
  serverLagMs: number | null;
}

export interface ApiTarget {
  url: string;
  agent: http.Agent;
  tokens: Tokens;
  skus: string[];
  deadlineMs: number;
  /** Called the moment the 201 arrives: a floor sample taken at the same instant, under the same load. */
  onCommitted?: () => void;
}

const SUMMARY_POLL_MS = 5;
const SEARCH_POLL_MS = 10;

function orderBody(sku: string, email: string) {
  // A synthetic, unique address so the search can only find this order; never printed.
  return {
    customerId: `cust-${randomUUID().slice(0, 8)}`,
    customer: { email, phone: '+14155550123', name: 'Bench Buyer' },
    region: 'eu-west', paymentProvider: 'stripe', currency: 'USD',
    items: [{ sku, quantity: 1 }],
  };
}

/** Places one order and watches both read models until it shows up in each. */
export async function sampleApi(target: ApiTarget): Promise<ApiSample> {
  const email = `lat-${randomUUID().slice(0, 12)}@example.com`;
  const sku = target.skus[Math.floor(Math.random() * target.skus.length)]!;
  const began = performance.now();
  const placed = await send(target.url, target.agent, { method: 'POST', path: '/orders', token: target.tokens.client, body: orderBody(sku, email) });
  const committed = performance.now();
  if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status}`);
  target.onCommitted?.();
  const orderId = (JSON.parse(placed.body) as { orderId: string }).orderId;
  let serverLagMs: number | null = null;
  const summaryVisible = async () => {
    const answer = await send(target.url, target.agent, { method: 'GET', path: `/orders/${orderId}`, token: target.tokens.client });
    if (answer.status === 200) serverLagMs = (JSON.parse(answer.body) as { freshness: { lagMs: number } }).freshness.lagMs;
    return answer.status === 200;
  };
  const searchVisible = async () => {
    const path = `/support/search?email=${encodeURIComponent(email)}`;
    const answer = await send(target.url, target.agent, { method: 'GET', path, token: target.tokens.support });
    return answer.status === 200 && (JSON.parse(answer.body) as { count: number }).count > 0;
  };
  const [summaryMs, searchMs] = await Promise.all([
    msUntil(committed, summaryVisible, SUMMARY_POLL_MS, target.deadlineMs),
    msUntil(committed, searchVisible, SEARCH_POLL_MS, target.deadlineMs),
  ]);
  return { commandMs: committed - began, summaryMs, searchMs, serverLagMs };
}
