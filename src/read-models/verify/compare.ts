import type { StoredOrderEvent } from '../../outbox/envelope.js';
import type { LogFold } from '../read-model.js';

/** Each order's newest event in the fold: what a state read model must reflect. */
export function newestEventPerOrder(fold: LogFold): Map<string, StoredOrderEvent> {
  const newest = new Map<string, StoredOrderEvent>();
  for (const event of fold.events) {
    const seen = newest.get(event.aggregateId);
    if (!seen || seen.aggregateVersion < event.aggregateVersion) newest.set(event.aggregateId, event);
  }
  return newest;
}

/** Dates compare by instant whatever their spelling (a timestamptz comes back as a Date, a payload holds ISO text). */
function asInstant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return Date.parse(value);
  return undefined;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected instanceof Date || actual instanceof Date) return asInstant(expected) === asInstant(actual);
  return canonical(expected ?? null) === canonical(actual ?? null);
}

/**
 * The names of the fields whose values differ, including fields only one side has. Only names
 * leave this function: the values may be personal data.
 */
export function differingFields(expected: object, actual: object, ignore: readonly string[] = []): string[] {
  const want = expected as Record<string, unknown>;
  const have = actual as Record<string, unknown>;
  const names = new Set([...Object.keys(want), ...Object.keys(have)]);
  return [...names].filter((name) => !ignore.includes(name) && !sameValue(want[name], have[name])).sort();
}
