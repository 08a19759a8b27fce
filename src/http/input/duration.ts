import { z } from 'zod';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
// A whole number without a sign, fraction or leading zero, then one unit: `90s`, `15m`, `2h`.
// No `d` or `M`: a lone `M` reads as months to some and minutes to others.
const DURATION = /^([1-9]\d{0,6})([smh])$/;

/** `90s`, `15m`, `2h` → milliseconds; anything else (blank, `0s`, `1.5h`, `15 m`, `15M`) → undefined. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Renders milliseconds the way a query string writes them, in the largest whole unit. */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  return `${ms / UNIT_MS.s}s`;
}

/**
 * A query-string duration, parsed to milliseconds. Values past `maxMs` are refused, never
 * clamped: a caller asking for more than the API gives must hear so.
 */
export function durationParam(maxMs: number) {
  return z
    .string({ error: 'must be a duration such as 90s, 15m or 2h' })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 15m or 2h: a positive whole number, then s, m or h' });
        return z.NEVER;
      }
      if (ms > maxMs) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(maxMs)}` });
        return z.NEVER;
      }
      return ms;
    });
}
