import { Context } from '@temporalio/activity';
import type { StoredOrderEvent } from '../outbox/envelope.js';
import type { ApplyOutcome } from '../read-models/read-model.js';
import { readModelCommitToVisible, readModelEvents, readModelFailures, readModelRetries } from './registry.js';

export interface MeasuredApply {
  events: readonly StoredOrderEvent[];
  outcome: ApplyOutcome;
}

/** The activity's attempt; 1 when called outside an activity (tests, tools). */
function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

function countApplied(readModel: string, { events, outcome }: MeasuredApply, now: number): void {
  readModelEvents.inc({ read_model: readModel, outcome: 'applied' }, outcome.applied);
  readModelEvents.inc({ read_model: readModel, outcome: 'skipped' }, outcome.skipped);
  // The apply has committed: from here each event of the batch is visible in the model.
  for (const event of events) {
    readModelCommitToVisible.observe({ read_model: readModel }, Math.max(0, now - event.occurredAt.getTime()) / 1000);
  }
}

/** Runs one projection attempt for `readModel`, counting retries, failures, events and their commit-to-visible time. */
export async function measureApply(readModel: string, run: () => Promise<MeasuredApply>): Promise<ApplyOutcome> {
  if (currentAttempt() > 1) readModelRetries.inc({ read_model: readModel });
  try {
    const measured = await run();
    countApplied(readModel, measured, Date.now());
    return measured.outcome;
  } catch (error) {
    readModelFailures.inc({ read_model: readModel });
    throw error;
  }
}
