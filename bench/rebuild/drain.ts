import type { Db } from '../../src/db/database.js';

export interface ModelDrain {
  readModel: string;
  /** Seconds from the relay's start until the model's checkpoint reached the last event. */
  seconds: number;
  eventsPerSecond: number;
}

const POLL_MS = 250;

async function checkpoints(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('read_model_checkpoints').select(['read_model', 'position']).execute();
  return new Map(rows.map((r) => [r.read_model, Number(r.position)]));
}

/**
 * Polls the checkpoints (a cheap read: the ledger is not scanned) until every model has
 * applied all `events`, recording when each got there. The relay must have just been started.
 */
export async function measureDrain(db: Db, models: readonly string[], events: number, deadlineMs: number): Promise<ModelDrain[]> {
  const started = performance.now();
  const done = new Map<string, number>();
  while (done.size < models.length) {
    const elapsed = performance.now() - started;
    if (elapsed > deadlineMs) throw new Error(`the live projections did not drain ${events} events within ${deadlineMs / 1000} s (done: ${[...done.keys()].join(', ') || 'none'})`);
    const positions = await checkpoints(db);
    for (const model of models) if (!done.has(model) && (positions.get(model) ?? 0) >= events) done.set(model, elapsed / 1000);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return models.map((readModel) => {
    const seconds = done.get(readModel)!;
    return { readModel, seconds, eventsPerSecond: events / seconds };
  });
}
