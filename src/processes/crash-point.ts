/**
 * Fault injection: `CRASH_POINT=<name>` makes the process kill itself with SIGKILL when it
 * reaches the named point, so a test can crash it between two steps no signal sent from
 * outside could hit reliably. Unset (production), every point is inert.
 */
export type CrashPoint =
  | 'relay:after-claim-before-start'
  | 'relay:after-start-before-record'
  | 'worker:after-apply-before-checkpoint';

// Read once: a point armed at start stays armed for the life of the process, and only then.
const armed = process.env.CRASH_POINT?.trim() || undefined;

export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
