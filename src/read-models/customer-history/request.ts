import { z } from 'zod';
import { strictObject, text } from '../../http/input/fields.js';
import { decodeCursor } from './cursor.js';

export const customerParams = strictObject({ customerId: text(64, { multiline: false }) });

/** `limit` 1..100 (default 20), never clamped; `cursor` as issued in `nextCursor`. */
export const customerHistoryQuery = strictObject({
  limit: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, { error: 'must be a whole number from 1 to 100' })
    .transform(Number)
    .pipe(z.number().max(100, { error: 'must be at most 100' }))
    .optional()
    .transform((n) => n ?? 20),
  cursor: z
    .string()
    .transform((value, ctx) => {
      const cursor = decodeCursor(value);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued: pass nextCursor from the previous page unchanged' });
      return cursor ?? z.NEVER;
    })
    .optional(),
});
