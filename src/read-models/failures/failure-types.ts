/**
 * Every failure type a projection can end in, in one place. Dependency-free on purpose: the
 * batch workflow imports it, and workflow code may import nothing with I/O.
 *
 * All of them are permanent: retrying cannot help until an operator changes something, so
 * the activity fails at once with `ApplicationFailure.nonRetryable` and the batch workflow
 * fails with it. Transient faults (a store down, a 429, a timeout) are plain errors that
 * the retry policy retries.
 */
export const FailureTypes = {
  /** The batch names events the outbox does not have. */
  poisonEvent: 'PoisonEvent',
  /** The batch names a read model this worker does not know. */
  unknownReadModel: 'UnknownReadModel',
  /** A read model refused an event: a constraint, a data exception, a mapping conflict. */
  eventRejected: 'ReadModelEventRejected',
  /** A read model's store is missing what it writes to (a deleted index or alias). */
  storeMissing: 'ReadModelStoreMissing',
} as const;

export type FailureType = (typeof FailureTypes)[keyof typeof FailureTypes];

export const permanentFailureTypes: FailureType[] = Object.values(FailureTypes);
