import type { DomainError } from '../domain/index.js';

/** The write side said no: a business rule, a missing order or a stale version. */
export class CommandRejected extends Error {
  constructor(readonly error: DomainError | StaleVersion) {
    super(error.message);
    this.name = 'CommandRejected';
  }
}

export interface StaleVersion {
  code: 'version_mismatch';
  message: string;
  details: { expectedVersion: number; currentVersion: number };
}

export function orderNotFound(orderId: string): CommandRejected {
  return new CommandRejected({ code: 'order_not_found', message: `order ${orderId} does not exist`, details: { orderId } });
}
