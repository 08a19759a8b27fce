import type { DomainError } from '../domain/index.js';

/** The write side said no: a business rule, a missing order or a stale version. */
export class CommandRejected extends Error {
  constructor(readonly error: DomainError | StaleVersion) {
    super(error.message);
    this.name = 'CommandRejected';
  }
}

/** A conditional request whose precondition does not hold (HTTP 412). */
export interface StaleVersion {
  code: 'version_mismatch';
  message: string;
  /** currentVersion is null when there is nothing to match; expectedVersions lists what If-Match named. */
  details: { currentVersion: number | null; expectedVersions?: readonly number[] };
}

/** A write that expected one of `expected` found `current` instead. */
export function staleVersion(what: string, current: number, expected: readonly number[]): CommandRejected {
  const named = expected.length > 0 ? expected.join(' or ') : 'a version named by a strong entity-tag';
  return new CommandRejected({
    code: 'version_mismatch',
    message: `${what} is at version ${current}, not ${named}`,
    details: { currentVersion: current, expectedVersions: expected },
  });
}

export function orderNotFound(orderId: string): CommandRejected {
  return new CommandRejected({ code: 'order_not_found', message: `order ${orderId} does not exist`, details: { orderId } });
}
