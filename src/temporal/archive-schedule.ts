import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { archiveOutbox } from '../../workflows/archive-outbox.js';

export function archiveScheduleId(outboxId: string): string {
  return `archive-outbox-${outboxId}`;
}

export interface ArchiveScheduleOptions {
  outboxId: string;
  taskQueue: string;
  intervalMs: number;
}

/**
 * Creates the schedule that moves dispatched outbox rows into the event log, unless it
 * exists: every relay calls this at start, and an operator's pause or changes are kept.
 * A run that outlasts the interval makes the next one skip (SKIP), and a run nobody works on
 * (a task queue without workers) times out instead of lingering.
 */
export async function ensureArchiveSchedule(client: Client, options: ArchiveScheduleOptions): Promise<'created' | 'exists'> {
  const id = archiveScheduleId(options.outboxId);
  try {
    await client.schedule.create<typeof archiveOutbox>({
      scheduleId: id,
      spec: { intervals: [{ every: options.intervalMs }] },
      action: {
        type: 'startWorkflow', workflowType: 'archiveOutbox', workflowId: id, args: [{}],
        taskQueue: options.taskQueue, workflowExecutionTimeout: '10 minutes',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return 'exists';
    throw error;
  }
}
