import { z } from 'zod';
import { durationParam } from '../../http/input/duration.js';
import { strictObject, text } from '../../http/input/fields.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const DEFAULT_WINDOW_MS = HOUR;
export const MAX_WINDOW_MS = 7 * DAY;
export const DEFAULT_OLDER_THAN_MS = 15 * MINUTE;
export const MAX_OLDER_THAN_MS = 30 * DAY;

/** ISO 8601 with a time zone (`Z` or an offset, `+` written `%2B` in a query string); no zone would leave it ambiguous. */
function isoTime() {
  return z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with a time zone, such as 2026-11-28T10:00:00Z' })
    .transform((value) => new Date(value));
}

/** Region and provider as an order's body writes them, so they compare equal to what was stored. */
const narrowing = {
  region: text(32, { multiline: false }).optional(),
  paymentProvider: text(32, { multiline: false }).optional(),
};

/**
 * `[from, to)`, by default the hour before now; from before to, at most 7 days apart, never
 * clamped. The clock is read per request, when the defaults are filled in.
 */
export function dashboardQuery(clock: () => Date) {
  return strictObject({ from: isoTime().optional(), to: isoTime().optional(), ...narrowing })
    .transform((query, ctx) => {
      const to = query.to ?? clock();
      const from = query.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
      // Without `from` the window is one hour before `to`, so only a given `from` can be wrong.
      if (from.getTime() >= to.getTime()) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: query.to ? 'must be earlier than to' : 'must be in the past (to defaults to now)', input: query.from });
        return z.NEVER;
      }
      if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be at most 7 days before to', input: query.from });
        return z.NEVER;
      }
      return { from, to, region: query.region, paymentProvider: query.paymentProvider };
    });
}

export const stuckOrdersQuery = strictObject({
  olderThan: durationParam(MAX_OLDER_THAN_MS).optional().transform((ms) => ms ?? DEFAULT_OLDER_THAN_MS),
  ...narrowing,
});
