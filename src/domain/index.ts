/** The pure order domain: the write path's rules (decide), state (evolve) and helpers. */
export type * from './types.js';
export type * from './commands.js';
export type * from './events.js';
export type { DomainError, DomainErrorCode, Decision } from './errors.js';
export type { PricingResult } from './pricing.js';
export type { Reservation } from './inventory.js';

export { SUPPORTED_CURRENCIES, ORDER_STATUSES, TERMINAL_STATUSES, isCurrency, isTerminalStatus } from './types.js';
export { ORDER_COMMAND_TYPES } from './commands.js';
export { ORDER_EVENT_TYPES, isOrderEventType } from './events.js';
export { DOMAIN_ERROR_CODES, InvalidEventHistoryError } from './errors.js';
export { decide } from './decide.js';
export { MAX_LINE_QUANTITY } from './decide-place.js';
export { evolve, fold } from './evolve.js';
export { priceItems, mergeItems, isSafeMoney } from './pricing.js';
export { reserveStock, releaseStock, releasedItemsOf } from './inventory.js';
export { isOrderState, restoreState, replay } from './snapshot.js';
