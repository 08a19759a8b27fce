import { describe, expect, it } from 'vitest';
import { isTransientConflict, retryTransientConflicts } from '../../src/db/transient-conflicts.js';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
const serialization = Object.assign(new Error('could not serialize access'), { code: '40001' });
const uniqueViolation = Object.assign(new Error('duplicate key'), { code: '23505' });

/** A transaction that fails with the given errors, in turn, then succeeds. */
function failing(...errors: Error[]) {
  let runs = 0;
  const run = async () => {
    runs++;
    const error = errors.shift();
    if (error) throw error;
    return 'committed';
  };
  return { run, runs: () => runs };
}

describe('re-running transactions that lost a race', () => {
  it('tells deadlocks and serialization failures from other errors', () => {
    expect([deadlock, serialization, uniqueViolation, new Error('x'), null].map(isTransientConflict)).toEqual([true, true, false, false, false]);
  });

  it('re-runs the whole transaction until it commits, within the bound', async () => {
    const tx = failing(deadlock, serialization, deadlock);
    await expect(retryTransientConflicts(tx.run, { attempts: 4, backoffMs: 0 })).resolves.toBe('committed');
    expect(tx.runs()).toBe(4);
  });

  it('gives up after the last attempt with the conflict itself', async () => {
    const tx = failing(deadlock, deadlock, deadlock);
    await expect(retryTransientConflicts(tx.run, { attempts: 2, backoffMs: 0 })).rejects.toBe(deadlock);
    expect(tx.runs()).toBe(2);
  });

  it('never re-runs on any other error', async () => {
    const tx = failing(uniqueViolation);
    await expect(retryTransientConflicts(tx.run, { attempts: 4, backoffMs: 0 })).rejects.toBe(uniqueViolation);
    expect(tx.runs()).toBe(1);
  });
});
