import type http from 'node:http';
import { send } from '../support/http.js';

/** The model's lag as an operator sees it: GET /ops/read-models. */
export async function lagEventsOf(url: string, agent: http.Agent, operatorToken: string, readModel: string): Promise<number> {
  const answer = await send(url, agent, { method: 'GET', path: '/ops/read-models', token: operatorToken });
  if (answer.status !== 200) throw new Error(`GET /ops/read-models answered ${answer.status}`);
  const { readModels } = JSON.parse(answer.body) as { readModels: Array<{ name: string; lagEvents: number }> };
  const model = readModels.find((m) => m.name === readModel);
  if (!model) throw new Error(`GET /ops/read-models does not list ${readModel}`);
  return model.lagEvents;
}

/** Polls the lag until it is zero; resolves with the seconds that took and the highest lag seen. */
export async function untilCaughtUp(readLag: () => Promise<number>, deadlineSeconds: number): Promise<{ seconds: number; maxLag: number }> {
  const started = performance.now();
  let maxLag = 0;
  for (;;) {
    const lag = await readLag();
    const seconds = (performance.now() - started) / 1000;
    if (lag === 0) return { seconds, maxLag };
    maxLag = Math.max(maxLag, lag);
    if (seconds > deadlineSeconds) throw new Error(`lag still ${lag} events ${deadlineSeconds} s after the store came back`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
