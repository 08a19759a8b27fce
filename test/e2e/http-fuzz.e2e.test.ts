import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Placeholders } from '../bad-input/corpus.js';
import { fill } from '../bad-input/corpus.js';
import { loadFuzzRoutes, requestArbitrary, type FuzzRequest } from '../bad-input/fuzz-arbitraries.js';
import { createPlaceholders } from '../bad-input/placeholders.js';
import { problemViolations, successViolations } from '../bad-input/problem-check.js';
import { sendHttp, type RawResponse } from '../bad-input/send.js';
import { expectStackHealthy } from '../bad-input/stack-health.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

// FUZZ_RUNS raises the number of requests; FUZZ_SEED replays a run (both are printed on failure).
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 90_571);

let app: TestRuntime;
let values: Placeholders;
beforeAll(async () => {
  app = await startTestRuntime();
  values = await createPlaceholders(app.url);
});
afterAll(async () => {
  await app?.stop();
});

function send(request: FuzzRequest): Promise<RawResponse> {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, fill(value, values)]));
  const body = request.body === undefined ? undefined : Buffer.from(fill(request.body, values));
  return sendHttp(new URL(app.url), { method: request.method, path: fill(request.path, values), headers, body });
}

/** The invariants every answer keeps, whatever was sent. */
function violations(request: FuzzRequest, response: RawResponse): string[] {
  if (response.status >= 400) return problemViolations(response, request.method);
  const accepted = request.mustFail ? [`${response.status} although the request had ${request.mustFail}`] : [];
  return [...accepted, ...successViolations(response)];
}

describe('HTTP fuzzing over every route in test/bad-input/routes.json', () => {
  const routes = loadFuzzRoutes();

  it(`never answers 5xx, and every refusal is problem+json (${RUNS} requests, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(routes), async (request) => {
        const response = await send(request);
        const found = violations(request, response);
        if (found.length > 0) {
          throw new Error(`${request.method} ${request.path} -> ${response.status} ${response.text.slice(0, 200)}: ${found.join('; ')} (FUZZ_SEED=${SEED})`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it('leaves the stack healthy: /health answers and a normal order is placed and projected', async () => {
    await expectStackHealthy(app.url);
  });

  it('covers every route of the list', () => {
    const sampled = fc.sample(requestArbitrary(routes), { numRuns: RUNS, seed: SEED });
    const reached = new Set(sampled.map((request) => request.path.split('?')[0]));
    expect(routes.filter((route) => !reached.has(route.path)).map((route) => route.path)).toEqual([]);
  });
});
