import { expect } from 'vitest';
import type { PartProcess } from '../scale/part-process.js';
import type { FaultScenario } from './harness.js';

/** The parts survived the fault by reconnecting: none of them exited meanwhile. */
export async function expectPartsRunning(parts: PartProcess[]): Promise<void> {
  // An exit already seen wins the race against the next turn of the event loop.
  const states = await Promise.all(parts.map(async (part) => {
    const state = await Promise.race([part.exitStatus, new Promise<'running'>((resolve) => setImmediate(() => resolve('running')))]);
    return state === 'running' ? `${part.name} running` : `${part.name} exited ${JSON.stringify(state)}`;
  }));
  expect(states).toEqual(parts.map((part) => `${part.name} running`));
}

/**
 * Every command a client got a 2xx for is still there: its order exists in the write model and
 * in the order-status read model at that version or later.
 */
export async function expectAcknowledgedKept(scenario: FaultScenario, acknowledged: ReadonlyMap<string, number>): Promise<void> {
  expect(acknowledged.size).toBeGreaterThan(0);
  const ids = [...acknowledged.keys()];
  const written = new Map((await scenario.db.selectFrom('orders').select(['id', 'version']).where('id', 'in', ids).execute()).map((r) => [r.id, r.version]));
  const projected = new Map((await scenario.db.selectFrom('order_summary').select(['order_id', 'source_version']).where('order_id', 'in', ids).execute())
    .map((r) => [r.order_id, r.source_version]));
  const short = ids.filter((id) => !((written.get(id) ?? 0) >= acknowledged.get(id)! && (projected.get(id) ?? 0) >= acknowledged.get(id)!));
  expect(short.map((id) => ({ id, acknowledged: acknowledged.get(id), written: written.get(id), projected: projected.get(id) }))).toEqual([]);
}
