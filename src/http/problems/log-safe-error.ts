// What of an unexpected error may go to the logs. pino's error serializer
// copies every enumerable property, and pg's DatabaseError keeps row values
// there: `detail` ("Key (email)=(alice@…) already exists", "Failing row
// contains (…)"), `where`, `internalQuery`. Keep only what identifies the
// failure. Messages and stacks are kept: they are needed to fix bugs, and
// driver messages name constraints and columns rather than row data.
const SAFE_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'routine', 'severity', 'statusCode'] as const;
const MAX_CAUSE_DEPTH = 3;

export function logSafeError(error: unknown, depth = 0): Record<string, unknown> {
  // A thrown non-Error can be anything, including a request body.
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-Error value thrown' };
  const safe: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  const fields = error as unknown as Record<string, unknown>;
  for (const key of SAFE_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') safe[key] = value;
  }
  if (depth < MAX_CAUSE_DEPTH && error.cause !== undefined) safe.cause = logSafeError(error.cause, depth + 1);
  if (depth < MAX_CAUSE_DEPTH && error instanceof AggregateError) {
    safe.errors = error.errors.slice(0, 5).map((inner: unknown) => logSafeError(inner, depth + 1));
  }
  return safe;
}
