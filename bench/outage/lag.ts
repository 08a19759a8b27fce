import type http from 'node:http';
import { send } from '../support/http.js';

/** Where a read model stands, as an operator sees it on GET /ops/read-models. */
export interface ModelProgress {
  /** Its checkpoint: every event at or below this log position is applied. */
  position: number;
  lagEvents: number;
}

export async function progressOf(url: string, agent: http.Agent, operatorToken: string, readModel: string): Promise<ModelProgress> {
  const answer = await send(url, agent, { method: 'GET', path: '/ops/read-models', token: operatorToken });
  if (answer.status !== 200) throw new Error(`GET /ops/read-models answered ${answer.status}`);
  const { readModels } = JSON.parse(answer.body) as { readModels: Array<{ name: string; position: number; lagEvents: number }> };
  const model = readModels.find((m) => m.name === readModel);
  if (!model) throw new Error(`GET /ops/read-models does not list ${readModel}`);
  return { position: model.position, lagEvents: model.lagEvents };
}

export interface CatchUp {
  /** Until the checkpoint passed the head of the log as it was at the start: the backlog is applied. */
  backlogSeconds: number;
  /** Until the lag read zero: also needs a moment when no newer event is waiting, which steady load makes rare. */
  lagZeroSeconds: number;
  /** Events the model was behind at most meanwhile. */
  maxLag: number;
}

/** Polls every 100 ms until the backlog present at the start is applied and the lag reads zero. */
export async function untilCaughtUp(readProgress: () => Promise<ModelProgress>, deadlineSeconds: number): Promise<CatchUp> {
  const started = performance.now();
  let head: number | undefined;
  let backlogSeconds: number | undefined;
  let maxLag = 0;
  for (;;) {
    const { position, lagEvents } = await readProgress();
    const seconds = (performance.now() - started) / 1000;
    head ??= position + lagEvents;
    if (backlogSeconds === undefined && position >= head) backlogSeconds = seconds;
    if (lagEvents === 0) return { backlogSeconds: backlogSeconds ?? seconds, lagZeroSeconds: seconds, maxLag };
    maxLag = Math.max(maxLag, lagEvents);
    if (seconds > deadlineSeconds) throw new Error(`lag still ${lagEvents} events ${deadlineSeconds} s after the store came back`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
